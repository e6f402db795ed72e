// Keeps the agent registry bound to the live supervision tree. Every restart, exit and
// escalation is decided by the supervisor machines (machines/supervisor.ts); this follows
// what they emitted: it binds the actors a supervisor (re)started, reports the agents that
// went with the old ones as lost (in reverse start order, as the supervisor stopped them),
// and forgets the children a supervisor will not restart.
import type { AnyActorRef } from 'xstate';
import type { SupervisorEmitted } from '../../machines/supervisor.js';
import type { AgentRegistry, LossCause } from '../agents/agent-registry.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';

export interface TreeWatch {
  readonly agents: AgentRegistry;
  readonly events: EventStream;
  readonly clock: SystemClock;
  /** A child exited and its supervisor will not restart it: it left the system for good. */
  onDeparted(agentIds: readonly string[]): void;
  /** The root supervisor itself gave up. */
  onRootFailed(): void;
}

const AGENT = 'agent:';
const SUPERVISOR = 'supervisor:';

export const childKindOf = (childId: string): 'agent' | 'supervisor' =>
  childId.startsWith(SUPERVISOR) ? 'supervisor' : 'agent';
export const bareChildId = (childId: string): string =>
  childId.startsWith(AGENT)
    ? childId.slice(AGENT.length)
    : childId.startsWith(SUPERVISOR)
      ? childId.slice(SUPERVISOR.length)
      : childId;

export function watchSupervisor(
  ref: AnyActorRef,
  path: string,
  supervisorId: string,
  watch: TreeWatch,
): void {
  const { agents } = watch;
  const bindChild = (id: string, child: AnyActorRef | undefined) => {
    if (!child) return;
    if (id.startsWith(AGENT)) agents.bind(bareChildId(id), child, supervisorId);
    else if (id.startsWith(SUPERVISOR))
      watchSupervisor(child, `${path}${id}/`, bareChildId(id), watch);
  };
  const lose = (id: string, reason: string, cause: LossCause) => {
    if (id.startsWith(AGENT)) {
      const agent = agents.get(bareChildId(id));
      if (agent) agents.markLost(agent, reason, cause);
    } else if (id.startsWith(SUPERVISOR)) {
      agents.markSubtreeLost(`${path}${id}/`, reason, cause);
    }
  };
  const children = () => ref.getSnapshot().children as Record<string, AnyActorRef | undefined>;

  ref.on('*', (event: SupervisorEmitted) => {
    switch (event.type) {
      case 'supervisor.restarted': {
        // OTP order: the old children went in reverse start order; the new start in order.
        for (const id of [...event.restarted].reverse())
          lose(id, `restarted by supervisor ${supervisorId}`, 'failure');
        for (const id of event.restarted) bindChild(id, children()[id]);
        return;
      }
      case 'supervisor.child.exited': {
        const cause: LossCause = event.exit.kind === 'shutdown' ? 'shutdown' : 'failure';
        lose(event.childId, `${event.exit.kind} exit: ${event.exit.reason}`, cause);
        // The supervisor emits this only for a child it does not restart.
        if (event.childId.startsWith(AGENT)) watch.onDeparted([bareChildId(event.childId)]);
        return;
      }
      case 'supervisor.escalated':
        watch.events.publish({
          type: 'supervisor.escalated',
          supervisorId: event.supervisorId,
          childId: bareChildId(event.childId),
          childKind: childKindOf(event.childId),
          exit: event.exit,
          at: watch.clock.now(),
        });
        agents.markSubtreeLost(
          path,
          `supervisor ${supervisorId} exceeded its restart intensity`,
          'failure',
        );
        if (path === '') watch.onRootFailed();
        return;
    }
  });
  for (const [id, child] of Object.entries(children())) bindChild(id, child);
}
