// A handler reporting progress and log lines, and a consumer reading every event.
import { createSystem } from 'overseer';

const system = createSystem({
  agents: [
    {
      id: 'crawler',
      concurrency: 2,
      handler: async (url: string, ctx) => {
        ctx.progress(0.5, 'fetched');
        ctx.log('parsed', { url, attempt: ctx.attempt });
        return url.length;
      },
    },
  ],
}).start();

export const seen: string[] = [];
const reading = (async () => {
  for await (const event of system.events()) seen.push(event.type);
})();

const handles = await system.submitMany([
  { type: 'crawl', input: 'https://a.example' },
  { type: 'crawl', input: 'https://bb.example' },
]);
export const lengths = await Promise.all(handles.map((h) => h.result()));
export const stats = system.stats();
await system.stop();
await reading;
console.log(lengths, stats.tasks, seen.length, 'events');
