// What an operator does to a running system besides submitting and cancelling (the
// dashboard's buttons): pause and resume dispatch (what runs goes on, nothing new starts),
// and drain one agent through its supervisor (OTP's terminate_child: the supervisor sends
// its machine `drain`; it finishes what it holds, takes no more, exits and is not restarted).
import type { AnyActorRef } from 'xstate';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { EventStream } from '../core/event-stream.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { SystemNotRunning, UnknownAgent } from '../errors/index.js';
import { supervisorOf } from './agent-membership.js';
import type { SystemPhase } from './system-phase.js';

/** Where an agent runs, from its declaration's `runs` (`inline` when unset). */
export type AgentPlacement = 'inline' | 'thread' | 'process' | 'remote';

export class OperatorControls {
  #paused = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly agents: AgentRegistry,
    private readonly events: EventStream,
  ) {}

  /** Whether an operator paused dispatch (a draining or stopped system hands out nothing either). */
  get paused(): boolean {
    return this.#paused;
  }

  pause(phase: SystemPhase): void {
    if (phase !== 'running') throw new SystemNotRunning('pause dispatch', phase);
    this.#paused = true;
    this.dispatcher.pause();
  }

  resume(phase: SystemPhase): void {
    if (phase !== 'running') throw new SystemNotRunning('resume dispatch', phase);
    this.#paused = false;
    this.dispatcher.resume();
  }

  /** Where the agent runs: its declaration's `runs`; undefined for an id the system does not know. */
  placement(agentId: string): AgentPlacement | undefined {
    const agent = this.agents.get(agentId);
    return agent ? (agent.plan.declaration.runs ?? 'inline') : undefined;
  }

  /**
   * Asks the agent's supervisor to drain it; resolves once it left the system (its
   * `agent.removed` event). Throws UnknownAgent for an id no live agent has.
   */
  drainAgent(root: AnyActorRef | undefined, phase: SystemPhase, agentId: string): Promise<void> {
    if (!root || phase !== 'running') throw new SystemNotRunning('drain an agent', phase);
    const agent = this.agents.get(agentId);
    if (!agent || agent.gone) throw new UnknownAgent(agentId);
    const { supervisor, childId } = supervisorOf(root, agent.plan);
    if (!supervisor) throw new UnknownAgent(agentId);
    const removed = new Promise<void>((resolve) => {
      const off = this.events.on('agent.removed', (event) => {
        if (event.agentId !== agentId) return;
        off();
        resolve();
      });
    });
    supervisor.send({ type: 'child.drain', childId });
    return removed;
  }
}
