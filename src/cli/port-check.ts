// Whether a TCP port can be listened on, asked before handing the port to a server that
// would crash the process on EADDRINUSE instead of reporting it.
import { createServer } from 'node:net';
import { PortInUse } from '../errors/index.js';

export function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(port) : error),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
