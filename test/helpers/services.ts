import { mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * Integration tests need real servers. A missing one fails the suite loudly (never a skip):
 * a green run must mean the checks were exercised.
 */
export async function requireService(name: string, port: number, host = '127.0.0.1'): Promise<void> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.connect(port, host);
  });
  if (!open)
    throw new Error(
      `${name} is not running on ${host}:${port}; integration tests need it (see .ci/run for how CI starts it)`,
    );
}

/** A port nothing listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * A test S3 server (s3rver) on a free loopback port with one bucket, and a client for it: the tests upload what
 * the checks then read. Close `server` after the tests.
 */
export async function startTestS3(bucket: string): Promise<{ server: S3rver; endpoint: string; client: S3Client }> {
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 'drillbook-s3-')),
    configureBuckets: [{ name: bucket }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return { server, endpoint, client };
}
