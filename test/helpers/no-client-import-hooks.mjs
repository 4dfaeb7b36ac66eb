// Module resolution hook for the no-I/O trap: importing a database or S3 client is refused.
// Hooks run on their own thread, whose process.stderr is flushed asynchronously and can be lost when the
// process exits soon after: the line is written to descriptor 2 synchronously instead.
import { writeSync } from 'node:fs';
const CLIENTS = ['pg', 'ioredis', 'nodemailer', 'postgrator'];

export async function resolve(specifier, context, nextResolve) {
  if (CLIENTS.includes(specifier) || specifier.startsWith('@aws-sdk/')) {
    writeSync(2, `TRAP: import of ${specifier} during a no-I/O run\n`);
    throw new Error(`TRAP: import of ${specifier} is forbidden here`);
  }
  return nextResolve(specifier, context);
}
