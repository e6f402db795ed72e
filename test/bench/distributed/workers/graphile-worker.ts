// A graphile-worker process of the distributed row: `noop` jobs at concurrency 50, with
// the batching settings graphile-worker.ts documents; argument 1 is the PostgreSQL URL.
import { type Runner, run } from 'graphile-worker';
import { CONCURRENCY_PER_WORKER, type NoopPayload } from '../contract.js';
import { jobRecorder, workerArgument } from '../job-recorder.js';

let runner: Runner | undefined;
const recorder = jobRecorder(async () => runner?.stop());
runner = await run({
  connectionString: workerArgument(0, 'PostgreSQL URL'),
  concurrency: CONCURRENCY_PER_WORKER,
  noHandleSignals: true,
  crontab: '',
  taskList: {
    noop: async (payload) => {
      recorder.started((payload as NoopPayload).i);
    },
  },
  preset: {
    worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
  },
});
runner.events.on('job:success', () => recorder.completed());
recorder.ready();
