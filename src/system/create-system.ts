import { OverseerSystem } from './overseer-system.js';
import type { SystemOptions } from './system-options.js';

/**
 * Creates an overseer system: a root supervisor over the declared agents, a scheduler and
 * a task queue. Call `start()` to run it.
 *
 * @example
 * const system = createSystem({ agents: [{ id: 'echo', handler: async (input) => input }] }).start();
 * const handle = await system.submit({ type: 'echo', input: 'hi' });
 * await handle.result(); // 'hi'
 */
export function createSystem(options: SystemOptions = {}): OverseerSystem {
  return new OverseerSystem(options);
}
