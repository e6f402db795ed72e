// The dashboard's event log: the events an operator looks for (failures, restarts,
// escalations, overload), each as one line with a kind to filter on. A ring: the newest
// `size` entries stay.
import type { OverseerEvent } from '../core/system-events.js';

export type LogKind = 'failure' | 'restart' | 'escalation' | 'qos' | 'operator';

export interface LogEntry {
  readonly seq: number;
  /** Clock time, ms. */
  readonly at: number;
  readonly kind: LogKind;
  readonly type: string;
  /** The task, agent or supervisor it concerns. */
  readonly subject: string;
  readonly text: string;
}

export class EventLog {
  readonly #entries: LogEntry[] = [];
  #seq = 0;

  constructor(private readonly size: number) {}

  record(event: OverseerEvent): void {
    const line = lineOf(event);
    if (line) this.add(event.at, event.type, ...line);
  }

  /** An entry the dashboard itself writes (an operator's action). */
  add(at: number, type: string, kind: LogKind, subject: string, text: string): void {
    this.#entries.push({ seq: ++this.#seq, at, kind, type, subject, text });
    if (this.#entries.length > this.size) this.#entries.shift();
  }

  /** Entries after `seq` (all kept entries for 0), oldest first. */
  since(seq: number): LogEntry[] {
    const first = this.#entries.findIndex((e) => e.seq > seq);
    return first < 0 ? [] : this.#entries.slice(first);
  }

  get lastSeq(): number {
    return this.#seq;
  }
}

type Line = [kind: LogKind, subject: string, text: string];

function lineOf(e: OverseerEvent): Line | undefined {
  switch (e.type) {
    case 'task.failed':
      return [
        'failure',
        e.taskId,
        `task failed on attempt ${e.attempt}: ${e.error.code}: ${e.error.message}`,
      ];
    case 'task.retrying':
      return [
        'failure',
        e.taskId,
        `attempt ${e.attempt} failed (${e.error.code}: ${e.error.message}); retry at ${e.retryAt} ms`,
      ];
    case 'task.cancelled':
      return ['operator', e.taskId, `task cancelled: ${e.reason}`];
    case 'agent.failed':
      return [
        'failure',
        e.agentId,
        `agent failed: ${e.exit.reason}${e.exit.message ? `: ${e.exit.message}` : ''}`,
      ];
    case 'agent.unresponsive':
      return [
        'failure',
        e.agentId,
        `agent missed its heartbeats holding ${e.tasks.length} task(s)`,
      ];
    case 'agent.restarted':
      return ['restart', e.agentId, `agent restarted by supervisor ${e.supervisorId}`];
    case 'agent.removed':
      return ['restart', e.agentId, `agent left the system: ${e.reason}`];
    case 'supervisor.escalated':
      return [
        'escalation',
        e.supervisorId,
        `supervisor gave up after ${e.childKind} ${e.childId} exited (${e.exit.reason})`,
      ];
    case 'store.write.failed':
      return ['failure', e.taskId, `store write failed (${e.what}): ${e.error}`];
    case 'store.lost':
      return ['escalation', e.holder, `another system took the store over: ${e.holder}`];
    case 'qos.mode':
      return [
        'qos',
        e.qos,
        `class ${e.qos} is ${e.mode} (queueing delay ${Math.round(e.delayMs)} ms)`,
      ];
    case 'qos.rejected':
      return [
        'qos',
        e.qos,
        `${e.tasks} task(s) refused (${e.reason}); retry after ${e.retryAfterMs} ms`,
      ];
    case 'agent.limit':
      return e.breaker === 'closed'
        ? undefined
        : ['failure', e.agentId, `breaker ${e.breaker}, limit ${e.limit}`];
    case 'system.drained':
      return ['operator', 'system', 'system drained'];
    default:
      return undefined;
  }
}
