/**
 * PostgreSQL archive_command in the lab: uploads one WAL segment to the bucket's WAL archive.
 * Usage: node s3-put.js PORT FILE KEY   (exit 0 only when stored, so PostgreSQL retries otherwise)
 */
import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LAB_BUCKET, labS3 } from './s3-client.js';

const [port = '25490', file = '', key = ''] = process.argv.slice(2);
const client = labS3(Number(port));
try {
  await client.send(new PutObjectCommand({ Bucket: LAB_BUCKET, Key: key, Body: readFileSync(file) }));
} catch (error) {
  process.stderr.write(`archive upload of ${key} failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
