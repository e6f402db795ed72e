// The `overseer` command line as a child process, for tests: its exit code and what it
// printed on stdout (`input`: what it reads on stdin).
import { execFile } from 'node:child_process';

export function overseerCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return overseerCliWith('', ...args);
}

export function overseerCliWith(
  input: string,
  ...args: string[]
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8' },
      (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
    child.stdin?.end(input);
  });
}
