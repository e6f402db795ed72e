// `overseer dashboard --db`: a read-only view of a PostgreSQL cluster from its store alone:
// the leader over its nodes over the agents placed on them, tasks by state, the newest
// tasks; every action refused.
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Frame } from '../../src/dashboard/dashboard-model.js';
import { serveClusterDashboard } from '../../src/dashboard/index.js';
import { createSystem } from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';
import { advanceClock } from '../support/system-harness.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** The first frame the feed sends that satisfies `done`. */
function frameWhere(url: string, done: (frame: Frame) => boolean): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/feed', url), (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = JSON.parse(buffer.slice(buffer.indexOf('data: ') + 6, end)) as Frame;
          buffer = buffer.slice(end + 2);
          if (done(frame)) {
            req.destroy();
            resolve(frame);
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard of a cluster', () => {
  it('shows the leader, its nodes and their agents, and tasks by state, and takes no action', async () => {
    const store = await dir.postgres({ schema: 'dash' });
    const clock = new SimulatedClock();
    const system = createSystem({
      clock,
      store,
      agents: [{ id: 'w', capabilities: ['x'], handler: (n: number) => n }],
    }).start();
    const done = await system.submit({ type: 'resize', input: 1 });
    await advanceClock(clock, 10);
    await store.flush();
    const url = await dir.postgresUrl();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `INSERT INTO dash.leader (id, holder, epoch, until) VALUES (1, 'supervisor-a', 3, now() + interval '1 hour')`,
    );
    await admin.query(
      `INSERT INTO dash.nodes (node_id, host, pid, agents, protocol) VALUES ('node-1', 'box', 42, '["remote-1"]', 2)`,
    );
    // One placed in a protocol no node speaks: it waits, and says in which.
    await admin.query(
      `INSERT INTO dash.placements (channel, agent_id, supervisor, data, protocol) VALUES ('c0', 'remote-0', 'supervisor-a', '{}', 1)`,
    );
    await admin.query(
      `INSERT INTO dash.placements (channel, agent_id, supervisor, data, node_id) VALUES ('c1', 'remote-1', 'supervisor-a', '{}', 'node-1')`,
    );
    await admin.end();

    const dashboard = await serveClusterDashboard(url, {
      schema: 'dash',
      port: 0,
      feedIntervalMs: 20,
      readIntervalMs: 20,
    });
    try {
      const frame = await frameWhere(
        dashboard.url,
        (f) => f.tasks.completed === 1 && f.tree?.children?.length === 2,
      );
      expect(frame.actions).toBe(false);
      expect(frame.tree).toMatchObject({
        label: 'leader',
        id: 'supervisor-a',
        state: 'running',
        strategy: 'epoch 3',
      });
      expect(frame.tree?.children?.[0]).toMatchObject({ kind: 'agent', id: 'remote-0' });
      expect(frame.tree?.children?.[1]).toMatchObject({
        label: 'node',
        id: 'node-1',
        strategy: expect.stringMatching(/^box pid 42, cluster protocol 2, heartbeat \d+ ms ago$/),
        children: [{ kind: 'agent', id: 'remote-1', state: 'placed' }],
      });
      expect(frame.agents).toEqual([
        expect.objectContaining({ id: 'remote-1', placement: 'remote on node-1' }),
        expect.objectContaining({
          id: 'remote-0',
          state: 'unclaimed',
          placement: 'remote, waiting for a node of cluster protocol 1',
        }),
      ]);
      expect(frame.recent).toEqual([
        expect.objectContaining({ id: done.id, type: 'resize', state: 'completed' }),
      ]);
      expect(frame.log.map((e) => e.text)).toEqual(
        expect.arrayContaining(['leader is supervisor-a (epoch 3)', 'node joined']),
      );
      const found = (await (await fetch(new URL('/api/tasks?q=resize', dashboard.url))).json()) as {
        id: string;
      }[];
      expect(found.map((t) => t.id)).toEqual([done.id]);
      const detail = await fetch(new URL(`/api/tasks/${done.id}`, dashboard.url));
      // Its status and the steps its store keeps, as a running system's dashboard shows them.
      expect(await detail.json()).toMatchObject({
        status: { id: done.id, type: 'resize', qos: 'default', state: 'completed', output: 1 },
        trail: {
          id: done.id,
          state: 'completed',
          attempts: 1,
          steps: [
            { state: 'running', attempt: 1, agentId: 'w' },
            { state: 'completed', attempt: 1, agentId: 'w', output: '1' },
          ],
        },
      });
      expect((await fetch(new URL('/api/tasks/nope', dashboard.url))).status).toBe(404);
      const act = await fetch(new URL('/api/dispatch/pause', dashboard.url), {
        method: 'POST',
        headers: { authorization: 'Bearer anything-at-all-here' },
      });
      expect(act.status).toBe(403);
    } finally {
      await dashboard.close();
      await system.stop({ timeoutMs: 0 });
    }
  });

  it('refuses a store it cannot read, naming it', async () => {
    const url = await dir.postgresUrl();
    await expect(serveClusterDashboard(url, { schema: 'nothing_here' })).rejects.toThrow(
      /StoreOpenFailed|cannot|open/i,
    );
  });
});
