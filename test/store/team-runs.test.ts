// Team runs' saved state, on both stores: saved, replaced, listed least recently saved
// first, forgotten; kept across a reopen of the SQLite file; a value the store cannot hold
// is refused by name and changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidStoreRecord } from '../../src/errors/index.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import { storeKinds, tempDir } from './fixtures.js';

const dir = tempDir();
afterAll(() => dir.remove());

describe.each(storeKinds(dir))('team runs on the $kind store', ({ open }) => {
  it('saves, replaces, lists and forgets them', async () => {
    const store = await open();
    expect(store.teamRuns()).toEqual([]);
    store.putTeamRun({ runId: 'a', at: 1, data: { state: 'planning' } });
    store.putTeamRun({ runId: 'b', at: 2, data: { state: 'executing', steps: [1, 2] } });
    store.putTeamRun({ runId: 'a', at: 3, data: { state: 'awaitingApproval' } });
    expect(store.teamRuns()).toEqual([
      { runId: 'b', at: 2, data: { state: 'executing', steps: [1, 2] } },
      { runId: 'a', at: 3, data: { state: 'awaitingApproval' } },
    ]);
    store.deleteTeamRun('b');
    store.deleteTeamRun('never-saved');
    expect(store.teamRuns().map((r) => r.runId)).toEqual(['a']);
  });

  it('keeps what was saved, not the object the run goes on changing', async () => {
    const store = await open();
    const data = { steps: ['a'] };
    store.putTeamRun({ runId: 'r', at: 1, data });
    data.steps.push('b');
    expect(store.teamRuns()[0]?.data).toEqual({ steps: ['a'] });
  });
});

describe('team runs on a SQLite file', () => {
  it('outlive the process: a reopened file lists them', async () => {
    const path = dir.file();
    const first = sqliteStore(path);
    first.putTeamRun({ runId: 'r', at: 5, data: { value: 'awaitingApproval', round: 1 } });
    await first.close();
    const second = dir.track(sqliteStore(path));
    expect(second.teamRuns()).toEqual([
      { runId: 'r', at: 5, data: { value: 'awaitingApproval', round: 1 } },
    ]);
  });

  it('refuses data that is not JSON, naming the run, and keeps what it had', async () => {
    const store = dir.track(sqliteStore(dir.file()));
    store.putTeamRun({ runId: 'r', at: 1, data: { ok: true } });
    expect(() => store.putTeamRun({ runId: 'r', at: 2, data: { n: 1n } })).toThrow(
      InvalidStoreRecord,
    );
    expect(() => store.putTeamRun({ runId: 'r', at: 2, data: { n: 1n } })).toThrow(/\br\b/);
    expect(store.teamRuns()).toEqual([{ runId: 'r', at: 1, data: { ok: true } }]);
  });
});
