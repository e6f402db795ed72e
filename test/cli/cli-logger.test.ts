import { describe, expect, it } from 'vitest';
import { compactLogger } from '../../src/cli/cli-logger.js';

describe('the live view logger', () => {
  it('shortens each line to clock time, level and message, and honours the level', () => {
    const lines: string[] = [];
    const logger = compactLogger('info', (line) => lines.push(line));
    logger.debug({ at: 1 }, 'hidden');
    logger.info({ at: 5, taskId: 'a' }, 'task a completed on attempt 1');
    logger.error({}, 'no time');
    expect(lines).toEqual([
      't=     5 ms  INFO   task a completed on attempt 1\n',
      'ERROR  no time\n',
    ]);
    expect(logger.isLevelEnabled?.('debug')).toBe(false);
  });
});
