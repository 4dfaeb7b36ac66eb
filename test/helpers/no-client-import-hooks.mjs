// Module resolution hook for the no-I/O trap: importing a database or S3 client is refused.
const CLIENTS = ['pg', 'ioredis'];

export async function resolve(specifier, context, nextResolve) {
  if (CLIENTS.includes(specifier) || specifier.startsWith('@aws-sdk/')) {
    process.stderr.write(`TRAP: import of ${specifier} during a no-I/O run\n`);
    throw new Error(`TRAP: import of ${specifier} is forbidden here`);
  }
  return nextResolve(specifier, context);
}
