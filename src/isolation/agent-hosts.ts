// The threads and processes of a system's isolated agents, one per agent actor: started
// when the agent registers, terminated when it is lost (unresponsive, crashed, restarted,
// removed or stopped), so a restarted agent gets a fresh one.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandlerContext } from '../agents/agent-declaration.js';
import type { Attempt } from '../agents/attempt.js';
import type { BoundAgent } from '../agents/bound-agent.js';
import type { NormalizedTask } from '../tasks/task-spec.js';
import { AgentHost, type AgentHostOptions } from './agent-host.js';

const moduleUrl = (module: string) =>
  /^[a-z]+:/i.test(module)
    ? module
    : pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;

export interface HostSettings {
  /** Default heartbeat interval of an isolated agent's side, in ms. */
  readonly heartbeatIntervalMs: number;
  heartbeat(agent: BoundAgent): void;
  /** The agent's thread or process loaded its module: the agent may go online. */
  ready(agent: BoundAgent): void;
  crash(agent: BoundAgent, reason: string): void;
  /** Opens a remote agent's channel through the cluster, when the system has one. */
  readonly openRemote?: AgentHostOptions['openRemote'];
}

export class AgentHosts {
  readonly #hosts = new Map<BoundAgent, AgentHost>();

  constructor(private readonly s: HostSettings) {}

  /**
   * Starts the agent's thread or process; the agent goes online only once its side said it
   * is ready, so booting costs no attempt time.
   */
  prepare(agent: BoundAgent): AgentHost {
    let host = this.#hosts.get(agent);
    if (!host) {
      const { declaration } = agent.plan;
      host = new AgentHost({
        placement:
          declaration.runs === 'process' || declaration.runs === 'remote'
            ? declaration.runs
            : 'thread',
        openRemote: this.s.openRemote,
        agentId: agent.agentId,
        moduleUrl: declaration.runs === 'remote' ? '' : moduleUrl(declaration.module ?? ''),
        exportName:
          declaration.exportName ?? (declaration.runs === 'remote' ? declaration.id : 'default'),
        heartbeatIntervalMs: declaration.heartbeatIntervalMs ?? this.s.heartbeatIntervalMs,
        maxHeapMb: declaration.maxHeapMb,
        onHeartbeat: () => this.s.heartbeat(agent),
        onReady: () => this.s.ready(agent),
        onBroken: (reason) => this.s.crash(agent, reason),
      });
      this.#hosts.set(agent, host);
    }
    return host;
  }

  run(
    agent: BoundAgent,
    task: NormalizedTask,
    attempt: Attempt,
    ctx: HandlerContext,
  ): Promise<unknown> {
    const running = this.prepare(agent);
    attempt.onAbort((reason) =>
      running.abort(task.id, String((reason as Error)?.message ?? 'aborted')),
    );
    return running.run(task.id, attempt.number, task.idempotencyKey, task.input, ctx);
  }

  /** The agent is gone: its thread goes too, busy loop or not. */
  dispose(agent: BoundAgent, reason: string): void {
    const host = this.#hosts.get(agent);
    if (!host) return;
    this.#hosts.delete(agent);
    host.terminate(reason);
  }
}
