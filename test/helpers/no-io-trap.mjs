// Loaded with `node --import` in tests: any attempt to spawn a process or open a socket is
// reported on stderr as "TRAP:" and refused. Proves simulate mode touches nothing.
import childProcess from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { register, syncBuiltinESMExports } from 'node:module';

function trap(what) {
  return function trapped() {
    process.stderr.write(`TRAP: ${what} called during a no-I/O run\n`);
    throw new Error(`TRAP: ${what} is forbidden here`);
  };
}
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = trap(`child_process.${name}`);
}
net.connect = trap('net.connect');
net.createConnection = trap('net.createConnection');
net.Socket.prototype.connect = trap('net.Socket.connect');
tls.connect = trap('tls.connect');
globalThis.fetch = trap('fetch');
syncBuiltinESMExports();
register('./no-client-import-hooks.mjs', import.meta.url);
