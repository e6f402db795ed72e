// Keeps the runtime bound to the live supervision tree: binds every agent actor, and when
// a supervisor restarts, drops or gives up on children, rebinds the new actors and treats
// the agents that went with the old ones as lost.
import type { AnyActorRef } from 'xstate';
import type { SupervisorEmitted } from '../../machines/supervisor.js';
import type { Runtime } from '../system/runtime.js';

export interface TreeWatch {
  /** Called when the root supervisor itself gives up. */
  onRootFailed(): void;
}

const AGENT = 'agent:';
const SUPERVISOR = 'supervisor:';

export function watchSupervisor(
  rt: Runtime,
  ref: AnyActorRef,
  path: string,
  supervisorId: string,
  watch: TreeWatch,
): void {
  const bindChild = (id: string, child: AnyActorRef | undefined) => {
    if (!child) return;
    if (id.startsWith(AGENT)) rt.agents.bind(id.slice(AGENT.length), child, supervisorId);
    else if (id.startsWith(SUPERVISOR)) {
      watchSupervisor(rt, child, `${path}${id}/`, id.slice(SUPERVISOR.length), watch);
    }
  };
  const lose = (id: string, reason: string) => {
    if (id.startsWith(AGENT)) {
      const agent = rt.agents.get(id.slice(AGENT.length));
      if (agent) rt.agents.markLost(agent, reason);
    } else if (id.startsWith(SUPERVISOR)) {
      rt.agents.markSubtreeLost(`${path}${id}/`, reason);
    }
  };
  const children = () => ref.getSnapshot().children as Record<string, AnyActorRef | undefined>;

  ref.on('*', (event: SupervisorEmitted) => {
    switch (event.type) {
      case 'supervisor.restarted':
        for (const id of event.restarted) {
          // Agents bind() the new actor and lose the old; a subtree is lost whole, then rebound.
          if (id.startsWith(SUPERVISOR)) lose(id, `supervisor ${id} restarted`);
          bindChild(id, children()[id]);
        }
        return;
      case 'supervisor.child.exited':
        lose(event.childId, `${event.exit.kind} exit: ${event.exit.reason}`);
        return;
      case 'supervisor.escalated':
        rt.events.publish({
          type: 'supervisor.escalated',
          supervisorId: event.supervisorId,
          childId: event.childId,
          exit: event.exit,
          at: rt.clock.now(),
        });
        rt.agents.markSubtreeLost(
          path,
          `supervisor ${supervisorId} exceeded its restart intensity`,
        );
        if (path === '') watch.onRootFailed();
        return;
    }
  });
  for (const [id, child] of Object.entries(children())) bindChild(id, child);
}
