// The cluster's entry points (and the leader's intake) refuse what a caller got wrong before they touch the
// database, naming the option, what it must be and what it was.

import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectCluster,
  createSystem,
  lead,
  memoryStore,
  postgresStore,
  silentLogger,
  startNode,
  takeSubmissions,
} from '../../src/index.js';
import { tempDir } from '../store/fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());
const agents = fileURLToPath(new URL('./fixtures/node-agents.ts', import.meta.url));

describe("the cluster's entry points", () => {
  it('startNode names an option it cannot take', async () => {
    const db = await dir.postgresUrl();
    await expect(startNode({ db, agents, pollMs: 0 })).rejects.toThrow(
      new TypeError('startNode: pollMs must be a number of ms from 1 to 60000, got 0'),
    );
    await expect(startNode({ db, agents, runs: 'remote' as never })).rejects.toThrow(
      /^startNode: runs must be one of process, thread, inline, got "remote"$/,
    );
    await expect(startNode({ db, agents: '' })).rejects.toThrow(/agents must be the path/);
    await expect(startNode({ db: 42 as never, agents })).rejects.toThrow(
      'startNode: db must be a PostgreSQL URL or a pg Pool, got 42',
    );
    await expect(startNode({ db, agents, schema: '' })).rejects.toThrow(
      'startNode: schema must be a non-empty string, got ""',
    );
    await expect(
      startNode({ db, agents, logger: { ...silentLogger, warn: 'loud' } as never }),
    ).rejects.toThrow(/logger\.warn is "loud"/);
    await expect(startNode(null as never)).rejects.toThrow(
      'startNode: options must be an object, got null',
    );
    // A pool its LISTEN connection would hold whole: nothing else could run.
    const one = new pg.Pool({ connectionString: db, max: 1 });
    await expect(startNode({ db: one, agents })).rejects.toThrow(
      "startNode: db's pool (one connection listens for the node's messages) must allow 2 connections at least, got max 1",
    );
    await one.end();
  });

  it('lead names an option it cannot take', async () => {
    const db = await dir.postgresUrl();
    await expect(lead({ db, leaseMs: 10 })).rejects.toThrow(
      'lead: leaseMs must be a whole number of ms, at least 30, got 10',
    );
    await expect(lead({ db, leaseMs: 1_000, pollMs: -1 })).rejects.toThrow(
      'lead: pollMs must be a number of ms from 1 to 600000, got -1',
    );
    await expect(lead({ db, holder: '' })).rejects.toThrow(
      'lead: holder must be a non-empty string, got ""',
    );
    await expect(lead({ db: undefined as never })).rejects.toThrow(
      'lead: db must be a PostgreSQL URL or a pg Pool, got undefined',
    );
  });

  it('connectCluster names an option it cannot take', async () => {
    const db = await dir.postgresUrl();
    await expect(connectCluster(db, { pollMs: Number.NaN })).rejects.toThrow(
      'connectCluster: pollMs must be a number of ms from 1 to 600000, got NaN',
    );
    await expect(connectCluster(db, { schema: 7 as never })).rejects.toThrow(
      'connectCluster: schema must be a non-empty string, got 7',
    );
    await expect(connectCluster({} as never)).rejects.toThrow(
      'connectCluster: db must be a PostgreSQL URL or a pg Pool, got an object',
    );
    // A pool too small would have its listeners hold every connection: nothing else runs.
    const small = new pg.Pool({ connectionString: db, max: 2 });
    await expect(connectCluster(small)).rejects.toThrow(
      "connectCluster: db's pool (one connection listens for ends, one for progress, the others read and write) must allow 3 connections at least, got max 2",
    );
    await small.end();
  });

  it('takeSubmissions names what it cannot take', async () => {
    const store = memoryStore();
    const system = createSystem({ store });
    await expect(takeSubmissions(system, store as never)).rejects.toThrow(
      "takeSubmissions: store must be the system's PostgreSQL store (postgresStore(...)), got a memory store",
    );
    await expect(takeSubmissions({} as never, store as never)).rejects.toThrow(
      'takeSubmissions: system must be a system (createSystem(...)), got an object',
    );
    const postgres = await dir.postgres();
    await expect(takeSubmissions(system, postgres, { pollMs: 0 })).rejects.toThrow(
      'takeSubmissions: pollMs must be a number of ms from 1 to 600000, got 0',
    );
  });

  it("refuses a leader's store pool its listeners would hold whole", async () => {
    const db = await dir.postgresUrl();
    const remote = { id: 'far', runs: 'remote' as const, capabilities: ['far'] };
    const tiny = await dir.postgres({ schema: 'tiny', poolSize: 1 });
    expect(() => createSystem({ store: tiny, agents: [remote] })).toThrow(
      "invalid system options: store must have a pool of 2 connections at least (poolSize), one listening for the messages of agent far with runs: 'remote', got 1",
    );
    const local = createSystem({ store: tiny, agents: [{ id: 'w', handler: () => 1 }] });
    await expect(takeSubmissions(local, tiny)).rejects.toThrow(
      "takeSubmissions: the store's pool (poolSize: one connection listens for submissions) must allow 2 connections at least, got max 1",
    );
    const two = await postgresStore(db, { schema: 'two', poolSize: 2 });
    const leader = createSystem({ store: two, agents: [remote] }).start();
    await expect(takeSubmissions(leader, two)).rejects.toThrow(
      "takeSubmissions: the store's pool (poolSize: one connection listens for submissions, one for the remote agents' messages) must allow 3 connections at least, got max 2",
    );
    await leader.stop({ timeoutMs: 0 });
    await two.close();
  });

  it('postgresStore names an option it cannot take', async () => {
    const db = await dir.postgresUrl();
    await expect(postgresStore(db, { poolSize: 0 })).rejects.toThrow(
      'postgresStore: poolSize must be a whole number from 1 to 1000, got 0',
    );
    await expect(postgresStore(db, { retryForMs: -5 })).rejects.toThrow(
      'postgresStore: retryForMs must be a number of ms from 0 to 86400000, got -5',
    );
    await expect(postgresStore(db, { leader: { holder: 'me' } as never })).rejects.toThrow(
      /^postgresStore: leader must be the Leadership lead\(\) gave \(holder, epoch\)/,
    );
    await expect(postgresStore('' as never)).rejects.toThrow(
      'postgresStore: connection must be a PostgreSQL URL or a pg Pool, got ""',
    );
  });
});
