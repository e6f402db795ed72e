// The floor: one task-machine actor per task driven through its happy path (assign,
// start, complete) with no scheduling, agents or events around it.
import { createActor, createMachine } from 'xstate';
import { defaultRetryPolicy } from '../../../machines/retry-policy.js';
import { taskMachine } from '../../../machines/task.js';

export function bareXState(n: number): void {
  const parent = createActor(createMachine({ on: { '*': {} } })).start();
  for (let i = 0; i < n; i++) {
    const actor = createActor(taskMachine, {
      parent,
      id: `task:${i}`,
      input: { taskId: `t${i}`, retry: defaultRetryPolicy, submittedAt: 0, seed: i, dependsOn: [] },
    });
    actor.start();
    actor.send({ type: 'assign', agentId: 'a', at: 0 });
    actor.send({ type: 'start', at: 0 });
    actor.send({ type: 'complete', output: i, at: 0 });
  }
  parent.stop();
}
