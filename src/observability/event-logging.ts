// Writes a system's events to its logger as structured lines: routine lifecycle at debug,
// outcomes and membership at info, trouble at warn, failures at error. Each line's fields
// are flat (event, taskId, attempt, agentId, at, error...), ready for pino or any logger
// of the same shape. With the silent default logger nothing is subscribed at all.
import type { EventStream } from '../core/event-stream.js';
import type { OverseerEvent, OverseerEventType } from '../core/system-events.js';
import { type Logger, silentLogger } from './logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Line<T extends OverseerEventType> = readonly [
  Level,
  (event: Extract<OverseerEvent, { type: T }>) => string,
];

/** The level and message of every event; the fields are the event's own, flattened. */
const LINES: { readonly [T in OverseerEventType]: Line<T> } = {
  'task.submitted': ['debug', (e) => `task ${e.taskId} submitted (${e.taskType})`],
  'task.ready': ['debug', (e) => `task ${e.taskId} ready`],
  'task.assigned': ['debug', (e) => `task ${e.taskId} assigned to ${e.agentId}`],
  'task.started': ['debug', (e) => `task ${e.taskId} attempt ${e.attempt} started on ${e.agentId}`],
  'task.progress': ['debug', (e) => `task ${e.taskId} at ${Math.round(e.progress * 100)}%`],
  'task.log': ['info', (e) => e.message],
  'task.completed': ['info', (e) => `task ${e.taskId} completed on attempt ${e.attempt}`],
  'task.retrying': [
    'warn',
    (e) => `task ${e.taskId} attempt ${e.attempt} failed, retrying: ${e.error.message}`,
  ],
  'task.failed': ['error', (e) => `task ${e.taskId} failed: ${e.error.message}`],
  'task.cancelled': ['warn', (e) => `task ${e.taskId} cancelled: ${e.reason}`],
  'task.interrupted': [
    'info',
    (e) => `task ${e.taskId} interrupted on ${e.agentId} (${e.reason}); it waits again`,
  ],
  'agent.registered': ['info', (e) => `agent ${e.agentId} registered`],
  'agent.busy': ['debug', (e) => `agent ${e.agentId} busy with ${e.tasks} task(s)`],
  'agent.idle': ['debug', (e) => `agent ${e.agentId} idle`],
  'agent.unresponsive': [
    'warn',
    (e) => `agent ${e.agentId} missed its heartbeats holding ${e.tasks.length} task(s)`,
  ],
  'agent.failed': [
    'error',
    (e) =>
      `agent ${e.agentId} failed (${e.exit.reason})${e.exit.message ? `: ${e.exit.message}` : ''}`,
  ],
  'agent.restarted': ['info', (e) => `agent ${e.agentId} restarted by ${e.supervisorId}`],
  'agent.removed': ['info', (e) => `agent ${e.agentId} left the system: ${e.reason}`],
  'supervisor.escalated': [
    'error',
    (e) => `supervisor ${e.supervisorId} exceeded its restart intensity (child ${e.childId})`,
  ],
  'store.write.failed': ['error', (e) => `store: ${e.what}: ${e.error}`],
  'store.lost': [
    'error',
    (e) => `store taken over by ${e.holder}: this system stops handing out work`,
  ],
  'system.drained': ['info', () => 'system drained'],
  'qos.rejected': [
    'warn',
    (e) => `qos ${e.qos}: ${e.tasks} task(s) refused (${e.reason} in ${e.full})`,
  ],
  'qos.mode': ['warn', (e) => `qos ${e.qos} now ${e.mode} (queueing delay ${e.delayMs} ms)`],
  'agent.limit': ['info', (e) => `agent ${e.agentId} limit ${e.limit}, breaker ${e.breaker}`],
  'tool.called': [
    'debug',
    (e) =>
      `tool ${e.tool} called by task ${e.taskId} on ${e.agentId}: ${e.outcome} in ${e.ms} ms${
        e.error ? ` (${e.error.message})` : ''
      }`,
  ],
};

/**
 * The event as flat log fields: nested errors and exits become prefixed fields. A handler's
 * `ctx.log` fields go in first, so they cannot overwrite the event's own ids and time.
 */
export function logFields(event: OverseerEvent): Record<string, unknown> {
  const handlerFields = event.type === 'task.log' ? event.fields : undefined;
  const fields: Record<string, unknown> =
    typeof handlerFields === 'object' && handlerFields !== null ? { ...handlerFields } : {};
  fields.event = event.type;
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'output' || key === 'fields' || value === undefined) continue;
    if (key === 'error' || key === 'exit') {
      for (const [k, v] of Object.entries(value as object)) fields[`${key}.${k}`] = v;
    } else fields[key] = value;
  }
  return fields;
}

/** Subscribes `logger` to the events its levels keep; nothing at all for the silent logger. */
export function logEvents(events: EventStream, logger: Logger): void {
  if (logger === silentLogger) return;
  for (const type of Object.keys(LINES) as OverseerEventType[]) {
    const [level, message] = LINES[type] as Line<typeof type>;
    if (logger.isLevelEnabled && !logger.isLevelEnabled(level)) continue;
    events.on(type, (event) => logger[level](logFields(event), message(event as never)));
  }
}
