// Tool calls from agents in a thread or process of their own, on the real clock: a call
// crosses the protocol as `tool.call`, runs on the supervisor's side under the attempt's
// grants, limits and signal, and its output or error comes back as `tool.result`. Each test
// waits only for results, bounded by the test timeout.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AgentDeclaration, createSystem, type OverseerEvent } from '../../src/index.js';
import { readFromAgent, readToAgent } from '../../src/isolation/protocol.js';
import { tools } from './fixtures/isolated-tools.js';

const module = fileURLToPath(new URL('./fixtures/tool-handlers.ts', import.meta.url));

function isolatedSystem(agent: AgentDeclaration) {
  const system = createSystem({
    heartbeatTimeoutMs: 2_000,
    heartbeatIntervalMs: 50,
    tools,
    agents: [agent],
  });
  const events: OverseerEvent[] = [];
  system.on('tool.called', (e) => events.push(e));
  return { system: system.start(), events };
}

describe.each(['thread', 'process'] as const)('an agent in a %s of its own', (runs) => {
  it('calls a granted tool, which runs on the supervisor’s side', async () => {
    const { system, events } = isolatedSystem({ id: 'w', runs, module, tools: ['lookup'] });
    const handle = await system.submit({ type: 'define', input: 'otter' });
    expect(await handle.result()).toBe('otter: a small carnivorous mammal');
    expect(events).toEqual([
      expect.objectContaining({ tool: 'lookup', agentId: 'w', outcome: 'ok', runs: 1 }),
    ]);
    await system.stop({ timeoutMs: 0 });
  });

  it('gets the typed errors back by name and code: not granted, bad input, timeout', async () => {
    const { system } = isolatedSystem({
      id: 'w',
      runs,
      module,
      exportName: 'attempt',
      tools: ['lookup', 'hang'],
    });
    const call = async (tool: string, input: unknown) =>
      (await system.submit({ type: 'call', input: { tool, input } })).result();
    expect(await call('translate', 'x')).toEqual({
      name: 'ToolNotGranted',
      code: 'ToolNotGranted',
      message: 'agent w was not granted tool "translate"; it has lookup, hang',
    });
    expect(await call('lookup', { word: 3 })).toMatchObject({
      name: 'ToolInputInvalid',
      code: 'ToolInputInvalid',
    });
    expect(await call('hang', null)).toEqual({
      name: 'ToolTimedOut',
      code: 'ToolTimedOut',
      message: 'tool hang did not finish within 50 ms',
    });
    await system.stop({ timeoutMs: 0 });
  });
});

describe('the tool messages of the protocol', () => {
  it('accepts a tool.call and a tool.result, with an output or an error', () => {
    const call = { v: 1, type: 'tool.call', taskId: 't', callId: 1, tool: 'lookup', input: {} };
    expect(readFromAgent(call)).toBe(call);
    const ok = { v: 1, type: 'tool.result', taskId: 't', callId: 1, output: 'x' };
    expect(readToAgent(ok)).toBe(ok);
    const failed = {
      ...ok,
      error: { name: 'ToolTimedOut', message: 'late', code: 'ToolTimedOut' },
    };
    expect(readToAgent(failed)).toBe(failed);
  });

  it.each([
    [{ v: 1, type: 'tool.call', taskId: 't', callId: 1.5, tool: 'x' }, 'integer callId'],
    [{ v: 1, type: 'tool.call', taskId: 't', callId: 1 }, 'a tool name'],
  ])('refuses a malformed tool.call, saying what it needs', (message, says) => {
    expect(readFromAgent(message)).toContain(says);
  });

  it('refuses a tool.result whose error has no message', () => {
    expect(
      readToAgent({ v: 1, type: 'tool.result', taskId: 't', callId: 1, error: { name: 'E' } }),
    ).toBe('tool.result error needs a name and a message');
  });
});
