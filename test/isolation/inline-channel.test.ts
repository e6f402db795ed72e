// The agent side run in the host's own process (a node's `--runs inline`): the same protocol
// as a thread or a process, without the hop. Driven message by message; every wait is on a
// message or the channel's end.
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { openAgentChannel } from '../../src/isolation/agent-channel.js';
import type { FromAgent } from '../../src/isolation/protocol.js';

const moduleUrl = pathToFileURL(
  new URL('./fixtures/thread-handlers.ts', import.meta.url).pathname,
).href;

/** An inline channel to `exportName`, with what it posts and why it ended, awaitable. */
function open(exportName: string, heartbeatIntervalMs = 60_000) {
  const messages: FromAgent[] = [];
  const waiters: { test: (m: FromAgent) => boolean; resolve: (m: FromAgent) => void }[] = [];
  let ended: (reason: string) => void = () => undefined;
  const end = new Promise<string>((resolve) => (ended = resolve));
  const channel = openAgentChannel(
    'inline',
    { moduleUrl, exportName, agentId: `inline-${exportName}`, heartbeatIntervalMs },
    undefined,
    {
      message: (raw) => {
        const m = raw as FromAgent;
        messages.push(m);
        for (const w of [...waiters]) if (w.test(m)) w.resolve(m);
      },
      ended: (reason) => ended(reason),
    },
  );
  const next = (test: (m: FromAgent) => boolean) =>
    new Promise<FromAgent>((resolve) => {
      const seen = messages.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  return { channel, messages, next, end };
}

const run = (taskId: string, input: unknown) => ({ v: 1, type: 'run', taskId, attempt: 1, input });

describe('an agent side inline', () => {
  it('says ready once its module loaded, runs what it is sent, and reports progress and logs', async () => {
    const { channel, messages, next } = open('default');
    channel.post(run('t1', 21)); // sent before the module loaded: it waits, nothing is lost
    expect(await next((m) => m.type === 'result')).toEqual({
      v: 1,
      type: 'result',
      taskId: 't1',
      output: 42,
    });
    expect(messages.map((m) => m.type)).toEqual(['ready', 'progress', 'log', 'result']);
    channel.terminate();
  });

  it('reports a thrown error as a failure, and carries an abort to the handler', async () => {
    const { channel, next } = open('waitForAbort');
    channel.post(run('t2', null));
    await next((m) => m.type === 'ready');
    channel.post({ v: 1, type: 'abort', taskId: 't2', reason: 'cancelled by the test' });
    const failure = await next((m) => m.type === 'failure');
    expect(failure).toMatchObject({ taskId: 't2', error: { message: 'cancelled by the test' } });
    channel.terminate();
  });

  it('carries an abort that came before the handler first read its signal', async () => {
    const { channel, next } = open('signalAfterWait');
    channel.post(run('t5', null));
    const call = await next((m) => m.type === 'tool.call');
    channel.post({ v: 1, type: 'abort', taskId: 't5', reason: 'cancelled early' });
    const callId = (call as { callId: number }).callId;
    channel.post({ v: 1, type: 'tool.result', taskId: 't5', callId, output: null });
    const result = await next((m) => m.type === 'result');
    expect(result).toMatchObject({ taskId: 't5', output: 'aborted: cancelled early' });
    channel.terminate();
  });

  it('heartbeats from the host loop', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { channel, messages, next } = open('default', 1_000);
      await next((m) => m.type === 'ready');
      vi.advanceTimersByTime(2_000);
      expect(messages.filter((m) => m.type === 'heartbeat')).toHaveLength(2);
      channel.terminate();
      vi.advanceTimersByTime(2_000);
      expect(messages.filter((m) => m.type === 'heartbeat')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends, naming the problem, on a message outside the protocol', async () => {
    const { channel, next, end } = open('default');
    await next((m) => m.type === 'ready');
    channel.post({ v: 1, type: 'launch' });
    expect(await end).toMatch(
      /inline agent inline-default crashed: .*unknown message type "launch"/,
    );
  });

  it('on terminate, aborts what runs and sends nothing more for it', async () => {
    const { channel, messages, next } = open('waitForAbort');
    channel.post(run('t3', null));
    await next((m) => m.type === 'ready');
    channel.terminate();
    channel.post(run('t4', null));
    // The aborted handler's rejection settles in a later turn: give it that turn, then look.
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages.map((m) => m.type)).toEqual(['ready']);
  });

  it('ends, naming it, when the module has no such handler', async () => {
    const { end } = open('nothingHere');
    expect(await end).toMatch(/inline agent inline-nothingHere failed to load: export nothingHere/);
  });
});
