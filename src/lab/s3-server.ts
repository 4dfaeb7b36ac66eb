/** The lab's S3-compatible store (s3rver) on a loopback port. Usage: node s3-server.js DIR PORT */
import S3rver from 's3rver';

const [dir = '.', port = '25490'] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  silent: true,
  directory: dir,
  configureBuckets: [{ name: 'thebot-backups' }],
});
await server.run();
process.stdout.write(`s3 listening on 127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
