import { describe, expect, it } from 'vitest';
import type { QosOptions } from '../../machines/qos-classes.js';
import { batchPathLengths } from '../../src/tasks/critical-path.js';
import type { NormalizedTask } from '../../src/tasks/task-spec.js';
import { startSystem } from '../support/system-harness.js';

const qos: QosOptions = { classes: { online: { sloMs: 60_000 } }, default: 'online' };

describe('critical path first within a batch', () => {
  it('measures the longest chain of dependents below each task of a batch', () => {
    const task = (id: string, dependsOn: string[] = []) =>
      ({ id, dependsOn }) as unknown as NormalizedTask;
    // Dependency order: a before b and x, b before c.
    const lengths = batchPathLengths([
      task('a'),
      task('b', ['a']),
      task('x', ['a']),
      task('c', ['b']),
    ]);
    expect(Object.fromEntries(lengths)).toEqual({ a: 3, b: 2 });
    const chain = Array.from({ length: 50_000 }, (_, i) =>
      task(`t${i}`, i > 0 ? [`t${i - 1}`] : []),
    );
    expect(batchPathLengths(chain).get('t0')).toBe(50_000);
  });

  it('starts the head of the longest chain before a lone task of the same batch', async () => {
    let release: () => void = () => {};
    const { system, advance, of } = startSystem({
      qos,
      agents: [
        {
          id: 'solo',
          handler: (input) =>
            input === 'blocker' ? new Promise<string>((r) => (release = () => r('ok'))) : 'done',
        },
      ],
    });
    await system.submit({ id: 'blocker', type: 'w', input: 'blocker' });
    const batch = await system.submitBatch([
      { id: 'lone', type: 'w' },
      { id: 'head', type: 'w' },
      { id: 'middle', type: 'w', dependsOn: ['head'] },
      { id: 'tail', type: 'w', dependsOn: ['middle'] },
    ]);
    release();
    await advance(1);
    await batch.result();
    const started = of('task.started').map((e) => e.taskId);
    // The chain goes first while its next step is ready; the lone task ties with the chain's last.
    expect(started).toEqual(['blocker', 'head', 'middle', 'lone', 'tail']);
  });
});
