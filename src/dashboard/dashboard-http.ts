// The dashboard's HTTP server (node:http), whatever its frames come from: the page and its
// assets, the live feed (server-sent events), the JSON reads and the token-guarded
// actions. It listens on 127.0.0.1 unless told otherwise, sends no CORS headers, and every
// response forbids framing and sniffing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUse } from '../errors/index.js';
import type { FrameSource } from './dashboard-model.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { FeedHub } from './feed-hub.js';
import { loadAssets } from './page-assets.js';
import { actionRefusal, hostRefusal } from './request-guard.js';

/** A running dashboard. */
export interface Dashboard {
  /** The page's address, e.g. `http://127.0.0.1:4321/`. */
  readonly url: string;
  readonly port: number;
  /** Feed messages sent so far, to all pages together. */
  readonly messagesSent: number;
  /** Stops listening, ends every open feed and stops following the system. */
  close(): Promise<void>;
}

export type Reply = (status: number, body: unknown) => void;

/** The JSON endpoints under /api/: each answers (and returns true) or passes (false). */
export interface DashboardApi {
  read(url: URL, reply: Reply): boolean | Promise<boolean>;
  /** Called only once the request may act (token and origin checked). */
  act(url: URL, reply: Reply): boolean;
  close(): Promise<void> | void;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

export async function listenDashboard(
  o: ResolvedDashboardOptions,
  source: FrameSource,
  api: DashboardApi,
): Promise<Dashboard> {
  const assets = loadAssets();
  const hub = new FeedHub(source, o.feedIntervalMs);
  let port = o.port;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, {
        ...SECURITY_HEADERS,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(body));
    };
    const host = hostRefusal(req, o.host, port);
    if (host) return reply(host.status, { error: host.message });
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.pathname === '/feed') return hub.attach(res);
      if (url.pathname.startsWith('/api/'))
        return (await api.read(url, reply)) ? undefined : reply(404, { error: 'no such endpoint' });
      const asset = assets.get(url.pathname);
      if (!asset) return reply(404, { error: 'not found' });
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': asset.type,
        'cache-control': 'no-cache',
      });
      return res.end(req.method === 'HEAD' ? undefined : asset.body);
    }
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      const refusal = actionRefusal(req, o.token);
      if (refusal) return reply(refusal.status, { error: refusal.message });
      return api.act(url, reply) ? undefined : reply(404, { error: 'no such action' });
    }
    // OPTIONS (a CORS preflight) and every other method: no CORS headers, no action.
    res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD, POST' });
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
      process.emitWarning(`dashboard request failed: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(o.port) : error),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    get messagesSent() {
      return hub.messagesSent;
    },
    close: async () => {
      hub.close();
      source.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}
