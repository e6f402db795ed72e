// A client of the example cluster: submits 200 tasks from its own process (each durable
// when `submit` resolves, keyed so that running this again submits nothing twice), waits
// for their results, and counts the agent processes on the nodes that ran them; then an
// online batch of 3 (taken in whole or not at all, due within a minute).
//   OVERSEER_DB=postgres://... npx tsx docs/examples/cluster/client.ts
import { connectCluster } from 'overseer';

const db = process.env.OVERSEER_DB ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const client = await connectCluster(db);
const tasks = await Promise.all(
  Array.from({ length: 200 }, (_, i) =>
    i % 10 === 0
      ? client.submit({
          type: 'transcode',
          capabilities: ['video'],
          input: { video: `clip-${i}` },
          idempotencyKey: `example-${i}`,
        })
      : client.submit({
          type: 'thumbnail',
          capabilities: ['image'],
          input: { image: `photo-${i}` },
          idempotencyKey: `example-${i}`,
        }),
  ),
);
const results = (await Promise.all(tasks.map((t) => t.result()))) as { by: number }[];
export const completed = results.length;
export const nodes = [...new Set(results.map((r) => r.by))].length;
console.log(`${completed} tasks completed, by ${nodes} agent process(es) on the nodes`);
const page = await client.submitBatch(
  ['left', 'middle', 'right'].map((part) => ({
    type: 'thumbnail',
    capabilities: ['image'],
    input: { image: `page-${part}` },
    idempotencyKey: `example-page-${part}`,
  })),
  { deadline: Date.now() + 60_000 },
);
export const batchDone = (await page.result()).length;
console.log(`a batch of ${batchDone} thumbnails completed together`);
// Any process reads a task's status and history from the database (`overseer task` prints them).
const [first] = tasks;
const status = first ? await first.status() : undefined;
export const firstState = status?.state;
if (first)
  console.log(`task ${first.id}: ${firstState}, ${(await first.history()).length} records`);
await client.close();
