// A nested rest_for_one supervisor: when `extract` crashes, it and `transform` (declared
// after it) are restarted, and the crashed task runs again on the fresh agent.
import { AgentCrash, createSystem } from 'overseer';

let extractCalls = 0;
const system = createSystem({
  restartBackoff: { kind: 'fixed', delayMs: 10 },
  retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
  agents: [
    {
      supervisor: 'pipeline',
      strategy: 'rest_for_one',
      intensity: { maxRestarts: 3, periodMs: 60_000 },
      children: [
        {
          id: 'extract',
          capabilities: ['extract'],
          handler: async () => {
            if (++extractCalls === 1) throw new AgentCrash('lost the database connection');
            return 'rows';
          },
        },
        {
          id: 'transform',
          capabilities: ['transform'],
          handler: async (rows: string) => `${rows}, transformed`,
        },
      ],
    },
  ],
}).start();

export const restarted: string[] = [];
system.on('agent.restarted', (e) => restarted.push(`${e.supervisorId}/${e.agentId}`));

const extract = await system.submit({ type: 'extract', capabilities: ['extract'] });
const transform = await system.submit({
  type: 'transform',
  capabilities: ['transform'],
  input: 'rows',
  dependsOn: [extract.id],
});
export const output = await transform.result();
console.log(output, 'after restarts of', restarted);
await system.stop();
