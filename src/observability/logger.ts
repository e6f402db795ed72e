// The logger overseer writes to: the subset of pino's interface it uses, so a pino
// logger (or anything shaped like one) plugs in. The library is silent by default.
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  /** pino's level check: when present, events below the logger's level are not even subscribed. */
  readonly isLevelEnabled?: (level: string) => boolean;
}

const nothing: LogFn = () => {};

/** The default: a logger that drops everything. */
export const silentLogger: Logger = {
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
};
