// A guided run of the task machine under a simulated clock: one task fails its first
// attempt, waits out its backoff, and completes on the second. What `npm start` prints
// until the full runtime demo replaces it.
import { createActor, SimulatedClock } from 'xstate';
import { taskMachine } from '../../machines/task.js';

export function lifecycleTour(print: (line: string) => void): void {
  const clock = new SimulatedClock();
  const task = createActor(taskMachine, {
    clock,
    input: {
      taskId: 'resize-42',
      retry: {
        maxAttempts: 3,
        backoff: { kind: 'exponential', initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.2 },
      },
      timeoutMs: 5_000,
      submittedAt: 0,
      seed: 2026,
    },
  });
  const row = (step: string, note: string) =>
    print(`${String(clock.now()).padStart(7)}  ${step.padEnd(10)}  ${note}`);
  task.on('*', (event) => {
    if (event.type === 'task.retrying') {
      row('failed', `attempt ${event.attempt} failed: ${event.error.message} (retryable)`);
      row('retrying', `next attempt due at ${event.retryAt} ms`);
    }
  });
  task.on('task.assigned', (e) => row('assigned', `to agent ${e.agentId}`));
  task.on('task.started', (e) => row('running', `attempt ${e.attempt}`));
  task.on('task.completed', (e) =>
    row('completed', `output ${JSON.stringify(e.output)} after ${e.attempt} attempts`),
  );

  print('overseer: one task through its lifecycle under a simulated clock');
  print('  t (ms)  state       what happened');
  task.start();
  row('pending', 'submitted, ready to run');
  clock.set(10);
  task.send({ type: 'assign', agentId: 'image-1', at: clock.now() });
  clock.set(12);
  task.send({ type: 'start', at: clock.now() });
  clock.set(250);
  task.send({
    type: 'fail',
    error: { kind: 'error', code: 'ECONNRESET', message: 'storage connection reset' },
    retryable: true,
    at: clock.now(),
  });
  const { retryAt } = task.getSnapshot().context;
  clock.set(retryAt ?? clock.now());
  row('pending', 'backoff elapsed, ready again');
  clock.increment(10);
  task.send({ type: 'assign', agentId: 'image-2', at: clock.now() });
  clock.increment(2);
  task.send({ type: 'start', at: clock.now() });
  clock.increment(480);
  task.send({ type: 'complete', output: { width: 320, height: 240 }, at: clock.now() });
}
