// The options of `serveDashboard`, each with its default, and their validation: a bad
// option (or an unknown one) is an InvalidDashboardOptions naming it, before anything listens.
import { InvalidDashboardOptions } from '../errors/index.js';
import { closestName } from '../validation/closest-name.js';

export interface DashboardOptions {
  /** TCP port to listen on. Default 0: any free port (read it from the returned `url`). */
  readonly port?: number;
  /**
   * Interface to listen on. Default `127.0.0.1`: only this machine can open the page. Any
   * other address exposes it to the network (the page is read-only without a token).
   */
  readonly host?: string;
  /**
   * Enables the actions (cancel a task, drain an agent, pause and resume dispatch) for
   * requests that carry `Authorization: Bearer <token>`. Default none: read-only. At least
   * 16 characters.
   */
  readonly token?: string;
  /** How often the live feed sends one coalesced update to each page, in real ms. Default 250. */
  readonly feedIntervalMs?: number;
  /** Recent tasks whose history (states, times, errors, output) the dashboard keeps. Default 2,000. */
  readonly recentTasks?: number;
  /** Entries of the event log (failures, restarts, escalations) kept. Default 500. */
  readonly logSize?: number;
  /** Points of each plot kept (one per feed update with new figures). Default 1,200. */
  readonly seriesPoints?: number;
}

export interface ResolvedDashboardOptions {
  readonly port: number;
  readonly host: string;
  readonly token: string | undefined;
  readonly feedIntervalMs: number;
  readonly recentTasks: number;
  readonly logSize: number;
  readonly seriesPoints: number;
}

export const MIN_TOKEN_LENGTH = 16;

const KNOWN: readonly string[] = [
  'port',
  'host',
  'token',
  'feedIntervalMs',
  'recentTasks',
  'logSize',
  'seriesPoints',
];

export function resolveDashboardOptions(options: DashboardOptions = {}): ResolvedDashboardOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidDashboardOptions('options', 'must be an object');
  // A typo must not fall back to a default (a misspelt token would leave the page read-only).
  for (const key of Object.keys(options)) {
    if (KNOWN.includes(key)) continue;
    const near = closestName(key, KNOWN);
    throw new InvalidDashboardOptions(
      key,
      `is an unknown option${near === undefined ? '' : `; did you mean ${near}?`}`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidDashboardOptions('port', `must be an integer from 0 to 65535, got ${port}`);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '')
    throw new InvalidDashboardOptions('host', 'must be a non-empty address such as 127.0.0.1');
  const { token } = options;
  if (token !== undefined && (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH))
    throw new InvalidDashboardOptions(
      'token',
      `must be a string of at least ${MIN_TOKEN_LENGTH} characters`,
    );
  return {
    port,
    host,
    token,
    feedIntervalMs: positive('feedIntervalMs', options.feedIntervalMs ?? 250),
    recentTasks: positive('recentTasks', options.recentTasks ?? 2_000),
    logSize: positive('logSize', options.logSize ?? 500),
    seriesPoints: positive('seriesPoints', options.seriesPoints ?? 1_200),
  };
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidDashboardOptions(field, `must be a positive integer, got ${value}`);
  return value;
}
