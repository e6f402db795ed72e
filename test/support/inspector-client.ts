// A stand-in for the Stately inspector UI: a WebSocket client of an inspector server that
// collects what the server relays, and a free loopback port to run such a server on.
import { createServer } from 'node:net';
import { createInspectorServer } from '@statelyai/inspect/server';
import WebSocket from 'ws';

export interface Received {
  readonly type: string;
  readonly name?: string;
  readonly sessionId: string;
  readonly parentId?: string;
  readonly snapshot?: { readonly value?: unknown; readonly status?: string };
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** A client of the inspector server, as the inspector UI is: collects what it relays. */
export async function inspectorClient(url: string) {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const received: Received[] = [];
  const waiters: { until: (r: Received[]) => boolean; resolve: () => void }[] = [];
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as Received);
    for (const w of waiters.splice(0)) {
      if (w.until(received)) w.resolve();
      else waiters.push(w);
    }
  });
  return {
    received,
    /** Resolves once what was received satisfies `until` (the test's timeout bounds it). */
    waitFor: (until: (r: Received[]) => boolean) =>
      new Promise<void>((resolve) => {
        if (until(received)) resolve();
        else waiters.push({ until, resolve });
      }),
    close: () => socket.close(),
  };
}

/** @statelyai/inspect's local inspector server on a free port, with a UI client connected. */
export async function localInspector() {
  const port = await freePort();
  const server = createInspectorServer({ port, autoOpen: false });
  const url = `ws://127.0.0.1:${port}`;
  const ui = await inspectorClient(url);
  return {
    port,
    url,
    ui,
    close: () => {
      ui.close();
      server.stop();
    },
  };
}
