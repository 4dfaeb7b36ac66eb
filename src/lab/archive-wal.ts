/**
 * PostgreSQL archive_command in the lab: uploads one WAL segment to the lab store's WAL archive.
 * Usage: node archive-wal.mjs PORT FILE KEY   (exit 0 only when stored, so PostgreSQL retries otherwise)
 *
 * PostgreSQL runs this as its own user, who may not be able to read drillbook's checkout (one under /root,
 * or in a 0700 folder). So `lab up` copies this file into the lab folder, and it imports nothing but Node's
 * built-ins: the copy runs anywhere. The lab store (s3rver) takes an unsigned PUT.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const [port = '25490', file = '', key = ''] = process.argv.slice(2);
const BUCKET = 'thebot-backups';

try {
  const body = readFileSync(file);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'PUT',
        path: `/${BUCKET}/${key}`,
        timeout: 10_000,
        headers: { 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error('no answer within 10 s'));
    });
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 200) throw new Error(`the store answered HTTP ${status}`);
} catch (error) {
  process.stderr.write(`archive upload of ${key} to 127.0.0.1:${port} failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
