import { describe, expect, it } from 'vitest';
import { StaleState } from '../../src/errors/index.js';
import { SharedState, withFreshState } from '../../src/teams/shared-state.js';

type Research = { findings: string[]; summary: string };
const fresh = () => new SharedState<Research>({ findings: [], summary: '' });

/** What `run` threw, so a test can look at its fields. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('SharedState', () => {
  it('starts at version 0 and takes a write based on the current version', () => {
    const state = fresh();
    expect(state.read()).toEqual({ version: 0, value: { findings: [], summary: '' } });
    expect(state.write(0, { findings: ['actors'] }, 'searcher')).toEqual({ version: 1 });
    expect(
      state.write(1, (value) => ({ summary: `${value.findings.length} found` }), 'writer'),
    ).toEqual({ version: 2 });
    expect(state.read()).toEqual({
      version: 2,
      value: { findings: ['actors'], summary: '1 found' },
    });
    expect(state.history()).toEqual([
      { version: 1, writer: 'searcher', basedOn: 0, patch: { findings: ['actors'] } },
      { version: 2, writer: 'writer', basedOn: 1, patch: { summary: '1 found' } },
    ]);
  });

  it('refuses a write based on an old version with StaleState, and nothing changes', () => {
    const state = fresh();
    state.write(0, { summary: 'first' }, 'a');
    const before = state.read();
    let called = false;
    const stale = () => {
      called = true;
      return { summary: 'second' };
    };
    const error = thrownBy(() => state.write(0, stale, 'b'));
    expect(error).toBeInstanceOf(StaleState);
    expect(error).toMatchObject({ code: 'StaleState', basedOn: 0, current: 1, writer: 'b' });
    expect((error as StaleState).message).toBe(
      'stale write by b: based on shared state version 0, but it is at 1',
    );
    expect(called).toBe(false);
    expect(state.read()).toEqual(before);
    expect(state.read().value).toBe(before.value);
    expect(state.history()).toHaveLength(1);
  });

  it('refuses a write whose patch function itself wrote meanwhile', () => {
    const state = fresh();
    const error = thrownBy(() =>
      state.write(
        0,
        () => {
          state.write(0, { summary: 'inner' }, 'inner');
          return { summary: 'outer' };
        },
        'outer',
      ),
    );
    expect(error).toMatchObject({ code: 'StaleState', basedOn: 0, current: 1, writer: 'outer' });
    expect(state.read().value.summary).toBe('inner');
  });

  it('never lets a reader, or the writer of a patch, change shared state afterwards', () => {
    const initial = { findings: ['a'], summary: '' };
    const state = new SharedState<Research>(initial);
    const patch = { findings: ['b', 'c'] };
    state.write(0, patch, 'searcher');
    initial.findings.push('x');
    patch.findings.push('y');
    const { value } = state.read();
    expect(value.findings).toEqual(['b', 'c']);
    expect(() => value.findings.push('z')).toThrow(TypeError);
    expect(() => {
      (value as Research).summary = 'changed';
    }).toThrow(TypeError);
    const [write] = state.history();
    expect(() => write?.patch.findings?.push('z')).toThrow(TypeError);
    expect(state.read().value).toEqual({ findings: ['b', 'c'], summary: '' });
  });

  it('freezes nested values all the way down', () => {
    const state = new SharedState<{ plan: { steps: { id: string }[] } }>({
      plan: { steps: [{ id: 'a' }] },
    });
    const step = state.read().value.plan.steps[0];
    expect(Object.isFrozen(step)).toBe(true);
  });
});

describe('withFreshState', () => {
  it('writes what the step returns, based on the state it read', async () => {
    const state = fresh();
    const result = await withFreshState(
      state,
      async ({ value }) => ({ findings: [...value.findings, 'actors'] }),
      { maxTries: 1, writer: 'searcher' },
    );
    expect(result).toEqual({ version: 1, tries: 1 });
    expect(state.read().value.findings).toEqual(['actors']);
  });

  it('runs the step again on the fresh state when another write overtook it', async () => {
    const state = fresh();
    const seen: string[][] = [];
    const result = await withFreshState(
      state,
      async ({ version, value }) => {
        seen.push([...value.findings]);
        // Another step of the team lands first, once.
        if (version === 0) state.write(0, { findings: ['papers'] }, 'other');
        return { findings: [...value.findings, 'news'] };
      },
      { maxTries: 2, writer: 'searcher' },
    );
    expect(result).toEqual({ version: 2, tries: 2 });
    expect(seen).toEqual([[], ['papers']]);
    expect(state.read().value.findings).toEqual(['papers', 'news']);
    expect(state.history().map((write) => write.writer)).toEqual(['other', 'searcher']);
  });

  it('throws the last StaleState once maxTries attempts were all overtaken', async () => {
    const state = fresh();
    let runs = 0;
    const overtaken = withFreshState(
      state,
      async ({ version }) => {
        runs += 1;
        state.write(version, { summary: `other ${runs}` }, 'other');
        return { summary: 'mine' };
      },
      { maxTries: 3, writer: 'slow' },
    );
    await expect(overtaken).rejects.toBeInstanceOf(StaleState);
    await expect(overtaken).rejects.toMatchObject({ basedOn: 2, current: 3, writer: 'slow' });
    expect(runs).toBe(3);
    expect(state.read().value.summary).toBe('other 3');
  });

  it('makes one attempt when maxTries is below 1', async () => {
    const state = fresh();
    let runs = 0;
    const attempt = withFreshState(
      state,
      async ({ version }) => {
        runs += 1;
        state.write(version, { summary: 'other' }, 'other');
        return { summary: 'mine' };
      },
      { maxTries: 0, writer: 'slow' },
    );
    await expect(attempt).rejects.toBeInstanceOf(StaleState);
    expect(runs).toBe(1);
  });

  it('does not retry when the step fails for another reason', async () => {
    const state = fresh();
    let runs = 0;
    const failing = withFreshState(
      state,
      async () => {
        runs += 1;
        throw new Error('search failed');
      },
      { maxTries: 5, writer: 'searcher' },
    );
    await expect(failing).rejects.toThrow('search failed');
    expect(runs).toBe(1);
    expect(state.read().version).toBe(0);
  });
});
