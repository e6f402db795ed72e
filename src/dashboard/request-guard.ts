// Who may do what: every request must name this server as its Host (a page on another site
// that rebinds its DNS name to 127.0.0.1 is refused), and an action must also come from
// this server's own page (no Origin of another site; the server never sends CORS headers,
// so a browser refuses other sites' scripts the answer) and carry the token as
// `Authorization: Bearer <token>`. Without a token configured, every action is refused.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Refusal {
  readonly status: 401 | 403 | 421;
  readonly message: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether the request's Host names this server (only checked when it listens on loopback). */
export function hostRefusal(
  req: IncomingMessage,
  bindHost: string,
  port: number,
): Refusal | undefined {
  if (!LOOPBACK.has(bindHost)) return undefined;
  const host = req.headers.host ?? '';
  const name = host.replace(/:\d+$/, '');
  const hostPort = host.slice(name.length + 1);
  if (LOOPBACK.has(name) && hostPort === String(port)) return undefined;
  return {
    status: 421,
    message: `this dashboard answers only as 127.0.0.1:${port} or localhost:${port}`,
  };
}

/** Why an action is refused, or undefined when the request may act. */
export function actionRefusal(
  req: IncomingMessage,
  token: string | undefined,
): Refusal | undefined {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin !== undefined && origin !== `http://${host}`)
    return { status: 403, message: 'cross-origin actions are refused' };
  if (req.headers['sec-fetch-site'] === 'cross-site')
    return { status: 403, message: 'cross-site actions are refused' };
  if (token === undefined)
    return { status: 403, message: 'this dashboard is read-only: it was started without a token' };
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  if (!match?.[1] || !sameToken(match[1], token))
    return { status: 401, message: 'an action needs Authorization: Bearer <token>' };
  return undefined;
}

/** Compares in time independent of where the strings differ. */
function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
