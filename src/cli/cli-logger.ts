// The CLI's logger: pino, JSON lines on standard error (standard output carries the live
// view and summaries), written synchronously so lines keep their order and none is lost
// when the process exits. Above a live view, the same lines are shortened for people.
import { pino } from 'pino';
import type { Logger } from '../observability/logger.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** A pino logger at `level` writing JSON lines to stderr. */
export function cliLogger(level: LogLevel): Logger {
  return pino({ level, base: { name: 'overseer' } }, pino.destination({ dest: 2, sync: true }));
}

/** A pino logger at `level` whose lines go to `write` as `t=<ms> LEVEL message`. */
export function compactLogger(level: LogLevel, write: (line: string) => void): Logger {
  return pino(
    { level, base: null, timestamp: false },
    {
      write(json: string) {
        const {
          level: n,
          msg,
          at,
        } = JSON.parse(json) as { level: number; msg?: string; at?: number };
        const time = at === undefined ? '' : `t=${String(at).padStart(6)} ms  `;
        write(`${time}${NAMES[n] ?? n}  ${msg ?? ''}\n`);
      },
    },
  );
}
