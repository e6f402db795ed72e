// Starting a system's supervision tree: the root supervisor's actor on the system's clock,
// and the runtime wired to it: the timer index, the inspector, the root lane for task
// actors, the tree watcher that binds agents as they start and reports departures and a
// failed root, recovery from the store, then dispatch.
import type { AnyActorRef } from 'xstate';
import { createActor } from 'xstate';
import { agentMachine } from '../../machines/agent.js';
import type { SupervisorMachineInput } from '../../machines/supervisor.js';
import { supervisorTree } from '../../machines/supervisor-tree.js';
import { directInspection } from '../compiled/actor-inspection.js';
import { indexScheduler } from '../core/xstate-timer-index.js';
import { recover } from '../durability/recovery.js';
import { watchSupervisor } from '../supervision/tree-watcher.js';
import { taskLane } from '../tasks/task-lane.js';
import type { SystemParts } from './compose-system.js';
import type { ResolvedOptions } from './resolve-options.js';

export interface TreeHooks {
  /** The root actor exists and is about to start: the system is running from here. */
  started(root: AnyActorRef): void;
  /** Agents left for good. */
  departed(agentIds: readonly string[]): void;
  /** The root supervisor failed (restart intensity exceeded at the top). */
  rootFailed(): void;
}

/** Starts the tree under `root`'s spec and the runtime on it. */
export function startTree(
  o: ResolvedOptions,
  root: SupervisorMachineInput,
  parts: SystemParts,
  hooks: TreeHooks,
): void {
  const actor = createActor(supervisorTree(agentMachine), {
    id: 'supervisor:root',
    input: root,
    clock: o.clock,
    ...(o.inspect ? { inspect: o.inspect } : {}),
  });
  indexScheduler(actor);
  hooks.started(actor);
  actor.start();
  const { lifecycle } = parts;
  if (o.inspect) lifecycle.inspection = directInspection(actor, o.inspect);
  lifecycle.rootLane = taskLane(actor, (id, message) => lifecycle.actorCrashed(id, message));
  watchSupervisor(actor, '', 'root', {
    agents: parts.agents,
    events: parts.events,
    clock: o.clock,
    onDeparted: hooks.departed,
    onRootFailed: hooks.rootFailed,
  });
  if (o.store) recover(o.store, { clock: o.clock, ...parts });
  parts.dispatcher.resume();
}
