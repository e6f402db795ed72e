// Parsers for command-line values: each turns the text into a value or throws commander's
// InvalidArgumentError naming what was expected, which exits with code 2.
import { InvalidArgumentError } from 'commander';

/** A number in [min, max], an integer if asked. */
export const numberIn = (min: number, max: number, integer: boolean) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(
      `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
};

/** A ws:// or wss:// URL. */
export const webSocketUrl = (value: string) => {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'ws:' && protocol !== 'wss:')
    throw new InvalidArgumentError(`expected a ws:// or wss:// URL, got ${JSON.stringify(value)}`);
  return value;
};
