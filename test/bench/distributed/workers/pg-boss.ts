// A pg-boss process of the distributed row: WORK_LOOPS work() loops of WORK_BATCH on the
// `noop` queue (see pg-boss.ts); argument 1 is the PostgreSQL URL, 2 the mode (wake|poll).
import PgBoss from 'pg-boss';
import type { NoopPayload } from '../contract.js';
import { jobRecorder, workerArgument } from '../job-recorder.js';
import { QUEUE, WORK_BATCH, WORK_LOOPS } from '../pg-boss.js';

const boss = new PgBoss({
  connectionString: workerArgument(0, 'PostgreSQL URL'),
  supervise: false,
  schedule: false,
  migrate: false,
});
boss.on('error', (error) => process.stderr.write(`pg-boss worker: ${error.message}\n`));
const wake = workerArgument(1, 'mode') === 'wake';
const recorder = jobRecorder(() => boss.stop({ graceful: false, wait: true }));
await boss.start();
for (let loop = 0; loop < WORK_LOOPS; loop++) {
  let id: string | undefined;
  id = await boss.work<NoopPayload>(
    QUEUE,
    { batchSize: WORK_BATCH, pollingIntervalSeconds: 0.5 },
    async (jobs) => {
      await Promise.all(jobs.map(async (job) => recorder.started(job.data.i)));
      for (const _ of jobs) recorder.completed();
      if (wake && id && jobs.length === WORK_BATCH) boss.notifyWorker(id);
    },
  );
}
recorder.ready();
