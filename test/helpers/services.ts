import { createServer, Socket } from 'node:net';

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
