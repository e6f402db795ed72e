// An attempt's abort reaches its handler's signal and the host that forwards it, once each,
// whether it came before or after they asked.
import { describe, expect, it } from 'vitest';
import { Attempt } from '../../src/agents/attempt.js';
import type { Requirement } from '../../src/scheduling/requirement.js';

const attempt = () => new Attempt('t', 'a', 1, {} as Requirement);

describe('an attempt aborted', () => {
  it('tells an abort listener once, with the reason, and fires the signal read later', () => {
    const a = attempt();
    const heard: unknown[] = [];
    a.onAbort((reason) => heard.push(reason));
    const reason = new Error('timed out');
    a.abortSignal(reason);
    a.abortSignal(new Error('again'));
    expect(heard).toEqual([reason]);
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe(reason);
  });

  it('tells a listener added after the abort at once', () => {
    const a = attempt();
    const reason = new Error('cancelled');
    a.abortSignal(reason);
    const heard: unknown[] = [];
    a.onAbort((r) => heard.push(r));
    expect(heard).toEqual([reason]);
  });

  it('tells nobody while it runs', () => {
    const a = attempt();
    const heard: unknown[] = [];
    a.onAbort((r) => heard.push(r));
    expect(heard).toEqual([]);
    expect(a.signal.aborted).toBe(false);
  });
});
