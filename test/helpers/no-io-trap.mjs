// Loaded with `node --import` in tests: any attempt to spawn a process or open a socket is
// reported on stderr as "TRAP:" and refused. Proves simulate mode touches nothing.
// With NO_IO_TRAP_FS=<folder>, reading anything under that folder is trapped too (file checks).
import childProcess from 'node:child_process';
import fs from 'node:fs';
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
const guarded = process.env.NO_IO_TRAP_FS;
if (guarded) {
  const under = (path) => String(path instanceof URL ? path.pathname : path).startsWith(guarded);
  const guard = (owner, name, label) => {
    const original = owner[name];
    owner[name] = function guardedFs(path, ...rest) {
      if (under(path)) return trap(`${label}(${String(path)})`)();
      return original.call(this, path, ...rest);
    };
  };
  for (const name of ['readdir', 'stat', 'lstat', 'readFile', 'open', 'opendir', 'access'])
    guard(fs.promises, name, `fs.promises.${name}`);
  for (const name of ['readdirSync', 'statSync', 'lstatSync', 'readFileSync', 'openSync', 'createReadStream'])
    guard(fs, name, `fs.${name}`);
}
syncBuiltinESMExports();
register('./no-client-import-hooks.mjs', import.meta.url);
