// How a task takes a slot in its agent's machine: the slot the task that just ended gives
// up (a handover), or a free one. The machine holds slot tokens (agent-slots.ts), so a
// handover with the same resources while it is busy would leave its record as it was: it
// does not hear it, and the agent's registry counts the finished task as a heartbeat. It
// hears a slot filling (`task.assign`) and any other handover, and decides those; a
// refusal comes back as `agent.rejected`.
import type { Resources } from '../../machines/resources.js';
import { type BoundAgent, isBusy } from './bound-agent.js';

export function offerSlot(
  agent: BoundAgent,
  taskId: string,
  resources: Resources,
  at: number,
  registry: { quietHandover(agent: BoundAgent, at: number): void },
): void {
  const handedOver = agent.pendingRelease;
  agent.pendingRelease = undefined;
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
}
