// The `overseer` command line as a child process, for tests: its exit code and what it
// printed on stdout.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export function overseerCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}
