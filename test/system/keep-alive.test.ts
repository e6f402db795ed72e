import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a system on the real clock', () => {
  it('keeps the process alive while a task waits out its retry backoff, then lets it exit', () => {
    // Without the hold, the unref'd retry timer let Node exit (code 13: unsettled await).
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/system/fixtures/retry-script.ts'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.stderr).not.toContain('Error');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('second time\n');
  });
});
