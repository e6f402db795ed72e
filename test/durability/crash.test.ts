// The crash test of invariant 9: a process runs a workload on a SQLite file and is killed
// with SIGKILL at random points; a new process recovers and finishes. Whatever the kill
// points, every task ends exactly once, no completed task's handler runs after its
// completion was recorded, and attempts stay within the retry policy.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../machines/seeded-random.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';

const TASKS = 80;
const MAX_ATTEMPTS = 6;

/** Runs the worker; kills it with SIGKILL after `killAfterMs` if given. Resolves on exit. */
function runWorker(db: string, log: string, seed: number, killAfterMs?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/durability/fixtures/crash-worker.ts',
        db,
        log,
        String(TASKS),
        String(seed),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    // The fault: a kill at a random point of the run (not a wait for anything).
    const killer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal });
    });
  });
}

describe('crash recovery from a SQLite store (SIGKILL at random points)', () => {
  it.each([1, 2, 3])(
    'seed %i: every task ends exactly once, none reruns after its recorded completion',
    async (seed) => {
      const dir = mkdtempSync(join(tmpdir(), 'overseer-crash-'));
      const db = join(dir, 'state.db');
      const log = join(dir, 'events.log');
      const random = seededRandom(seed);
      // A fresh run takes about 0.6 s (0.3 s of it starting node): kills land from before
      // the first submission to the middle of the work.
      const kills = [250 + Math.floor(random() * 450), 250 + Math.floor(random() * 350)];
      const interrupted: boolean[] = [];
      for (const killAfterMs of kills) {
        const run = await runWorker(db, log, seed, killAfterMs);
        interrupted.push(run.signal === 'SIGKILL');
      }
      // At least one kill must have cut a run short, or this seed tested nothing.
      expect(interrupted).toContain(true);
      const last = await runWorker(db, log, seed);
      expect(last.code).toBe(0);

      const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      expect(lines.at(-1)).toBe('finished');
      const store = sqliteStore(db);
      const { tasks } = store.load(Date.now());
      expect(tasks.map((t) => t.taskId).sort()).toEqual(
        Array.from({ length: TASKS }, (_, i) => `t${i}`).sort(),
      );
      for (const task of tasks) {
        const history = store.history(task.taskId);
        const ends = history.filter(
          (r) =>
            r.kind === 'task.completed' || r.kind === 'task.failed' || r.kind === 'task.cancelled',
        );
        expect(ends, `ends of ${task.taskId}`).toHaveLength(1);
        expect(task.state).toBe('completed');
        expect(task.attempt).toBeLessThanOrEqual(MAX_ATTEMPTS);
        // A completion is logged only once durable; no handler of the task starts after it.
        const done = lines.indexOf(lines.find((l) => l.startsWith(`done ${task.taskId} `)) ?? '');
        if (done >= 0) {
          const laterStarts = lines
            .slice(done + 1)
            .filter((l) => l.startsWith(`start ${task.taskId} `));
          expect(laterStarts, `${task.taskId} ran after its completion was recorded`).toEqual([]);
        }
      }
      await store.close();
    },
  );
});
