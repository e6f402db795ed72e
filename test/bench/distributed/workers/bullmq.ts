// A BullMQ process of the distributed row: one Worker at concurrency 50 on the `noop`
// queue; argument 1 is the Redis URL.
import { Worker } from 'bullmq';
import { QUEUE } from '../bullmq.js';
import { CONCURRENCY_PER_WORKER, type NoopPayload } from '../contract.js';
import { jobRecorder, workerArgument } from '../job-recorder.js';

const recorder = jobRecorder(() => worker.close(true));
const worker = new Worker<NoopPayload>(
  QUEUE,
  async (job) => {
    recorder.started(job.data.i);
  },
  { connection: { url: workerArgument(0, 'Redis URL') }, concurrency: CONCURRENCY_PER_WORKER },
);
worker.on('completed', () => recorder.completed());
worker.on('error', (error) => process.stderr.write(`bullmq worker: ${error.message}\n`));
await worker.waitUntilReady();
recorder.ready();
