import { S3Client } from '@aws-sdk/client-s3';

/** s3rver accepts these fixed credentials; the lab never talks to real S3. */
export const LAB_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LAB_BUCKET = 'thebot-backups';

export function labS3(port: number): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-west-2',
    forcePathStyle: true,
    credentials: LAB_S3_CREDENTIALS,
    maxAttempts: 2,
  });
}

/** What the runbook's S3 checks and aws CLI steps need to reach the lab store (secrets of the lab env). */
export const LAB_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_DEFAULT_REGION: 'us-west-2',
};

/**
 * The secrets a drill's run is given: the S3 store's keys, and empty passwords, because the lab's
 * PostgreSQL trusts loopback and its Redis has no password. Exported empty, they are values, so the
 * run's preflight (which refuses an unset secret) passes, and no step is handed a made-up password. The Slack
 * webhook and the SMTP password are empty too: a drill journals its messages as skipped and sends nothing.
 */
export const LAB_SECRET_ENV = {
  ...LAB_AWS_ENV,
  DB_PASSWORD: '',
  DB_APP_PASSWORD: '',
  REDIS_PASSWORD: '',
  SLACK_WEBHOOK_URL: '',
  SMTP_PASSWORD: '',
};
