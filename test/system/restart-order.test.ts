// OTP's order when a strategy restarts several children: the running ones are stopped in
// reverse start order, then all start again in start order.
import { describe, expect, it } from 'vitest';
import { AgentCrash, type HandlerContext } from '../../src/index.js';
import { deferred, settle, startSystem } from '../support/system-harness.js';

describe('one_for_all restarts', () => {
  it('stops the siblings in reverse start order', async () => {
    const stoppedOrder: string[] = [];
    const crash = deferred();
    const sibling = (_input: unknown, ctx: HandlerContext) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => {
          stoppedOrder.push(ctx.agentId);
          reject(ctx.signal.reason);
        }),
      );
    const { system, of } = startSystem({
      strategy: 'one_for_all',
      agents: [
        { id: 'a', capabilities: ['a'], handler: sibling },
        {
          id: 'b',
          capabilities: ['b'],
          handler: async () => {
            await crash.promise;
            throw new AgentCrash('b broke');
          },
        },
        { id: 'c', capabilities: ['c'], handler: sibling },
        { id: 'd', capabilities: ['d'], handler: sibling },
      ],
    });
    for (const cap of ['a', 'b', 'c', 'd'])
      await system.submit({ id: cap, type: 'w', capabilities: [cap] });
    await settle();
    crash.resolve();
    await settle();
    await settle();
    expect(stoppedOrder).toEqual(['d', 'c', 'a']);
    expect(of('agent.restarted').map((e) => e.agentId)).toEqual(['a', 'b', 'c', 'd']);
  });
});
