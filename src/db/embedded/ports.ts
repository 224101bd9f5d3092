import net from 'node:net';

/** True when nothing listens on 127.0.0.1:port and we may bind it. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port from `preferred` upwards (20 tries), else one the OS picks. */
export async function pickPort(preferred: number, skip: ReadonlySet<number> = new Set()): Promise<number> {
  for (let port = preferred; port < preferred + 20 && port <= 65535; port++) {
    if (port !== 0 && !skip.has(port) && (await isPortFree(port))) return port;
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
