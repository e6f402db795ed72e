// How a task takes a slot in its agent's machine: the slot the task that just ended gives
// up (a handover), or a free one. The machine holds slot tokens (agent-slots.ts), so a
// handover with the same resources while it is busy would leave its record as it was: it
// does not hear it, and the agent's registry counts the finished task as a heartbeat. It
// hears a slot filling (`task.assign`) and any other handover, and decides those; a
// refusal comes back as `agent.rejected`.
import type { Resources } from '../../machines/resources.js';
import { type BoundAgent, isBusy } from './bound-agent.js';

/**
 * Offers `taskId` a slot; false when the task holds one here already (its late attempt):
 * its retry waits for that slot, as the machine refused a task it held when it held task
 * ids. The slot that was to be handed over is released then.
 */
export function offerSlot(
  agent: BoundAgent,
  taskId: string,
  resources: Resources,
  at: number,
  registry: { quietHandover(agent: BoundAgent, at: number): void },
): boolean {
  const handedOver = agent.pendingRelease;
  agent.pendingRelease = undefined;
  if (handedOver !== taskId && agent.slots.holds(taskId)) {
    if (handedOver !== undefined) releaseSlot(agent, handedOver, at);
    return false;
  }
  const slot =
    handedOver === undefined ? undefined : agent.slots.handOver(handedOver, taskId, resources);
  if (slot === undefined) {
    const token = agent.slots.take(taskId, resources);
    agent.ref.send({ type: 'task.assign', taskId: token, resources, at });
  } else if (slot.quiet && isBusy(agent)) {
    registry.quietHandover(agent, at);
  } else {
    const { token } = slot;
    agent.ref.send({ type: 'task.handover', releaseTaskId: token, taskId: token, resources, at });
  }
  return true;
}

/** The task's slot empties: the machine hears `task.release` (if the task held one). */
export function releaseSlot(agent: BoundAgent, taskId: string, at: number): void {
  const token = agent.slots.release(taskId);
  if (!agent.gone && token !== undefined)
    agent.ref.send({ type: 'task.release', taskId: token, at });
}
