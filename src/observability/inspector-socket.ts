// A connection to a WebSocket inspector server (such as @statelyai/inspect's local bridge,
// `createInspectorServer`), speaking the Stately inspector's protocol. Unlike the
// library's own WebSocket inspector, it resolves only once connected (an unreachable
// server is a clear error, not a silent retry loop) and `close()` resolves after every
// event inspected so far has been sent, so a short run loses nothing.
import { createInspector } from '@statelyai/inspect';
import { configure } from 'safe-stable-stringify';
import WebSocket from 'ws';
import type { InspectionEvent, Observer } from 'xstate';
import { InspectorUnreachable } from '../errors/index.js';

export interface InspectorSocket {
  /** Pass as `createSystem({ inspect })`. */
  readonly inspect: Observer<InspectionEvent>;
  /** Flushes what was sent and closes the connection. */
  close(): Promise<void>;
}

export interface InspectorSocketOptions {
  /** How deep actor context is serialized; deeper values are cut. Default 10. */
  readonly depthLimit?: number;
  /** Give up connecting after this many ms. Default 5000. */
  readonly connectTimeoutMs?: number;
}

export async function connectInspector(
  url: string,
  options: InspectorSocketOptions = {},
): Promise<InspectorSocket> {
  const socket = new WebSocket(url, { handshakeTimeout: options.connectTimeoutMs ?? 5_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(new InspectorUnreachable(url, error.message)));
  });
  // After the connection is up, a socket error must not crash the host process.
  socket.on('error', () => undefined);
  const stringify = configure({ maximumDepth: options.depthLimit ?? 10 });
  const inspector = createInspector(
    {
      send: (event) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(stringify(event) ?? 'null');
      },
    },
    { serialize: (event) => JSON.parse(stringify(event) ?? 'null') },
  );
  return {
    inspect: inspector.inspect,
    close: async () => {
      // @statelyai/inspect converts each inspection event in a setTimeout(0); timers of
      // equal delay run in order, so one more lets every conversion before it send first.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
