// OpenTelemetry spans through @opentelemetry/api alone (no SDK dependency): one
// `overseer.task` span per task from submit to its end, and under it one
// `overseer.task.attempt` span per attempt from start to its outcome. Times are the
// events' clock times, so a simulated clock yields simulated spans. Spans of tasks still
// open when the system stops are ended then, marked unfinished. A failure's stable code
// (TaskTimedOut, AgentLost, a thrown error's name...) is the span's `error.type` and its
// exception's type. Each tool call a handler makes is an `overseer.tool` span under its
// attempt's span, drawn from its `tool.called` event when the call ends. (Times are passed
// as Dates: OTel reads a small number as an offset from the process's time origin.)
import { context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { EventStream } from '../core/event-stream.js';

/** Why a span ended in error: the failure's stable code and its message. */
interface Failure {
  readonly code: string;
  readonly message: string;
}

interface Open {
  readonly task: Span;
  readonly type: string;
  attempt: Span | undefined;
}

const SUPERSEDED: Failure = { code: 'AttemptSuperseded', message: 'a new attempt started' };
const STOPPED: Failure = { code: 'SystemStopped', message: 'system stopped' };

/** Starts tracing the system's tasks; returns the function that ends what is still open. */
export function traceAttempts(events: EventStream, tracer: Tracer, now: () => number): () => void {
  const open = new Map<string, Open>();
  const endAttempt = (taskId: string, at: number, error?: Failure) => {
    const entry = open.get(taskId);
    if (!entry?.attempt) return;
    if (error === undefined) entry.attempt.setStatus({ code: SpanStatusCode.OK });
    else {
      entry.attempt.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      entry.attempt.setAttribute('error.type', error.code);
      entry.attempt.recordException({ code: error.code, message: error.message }, new Date(at));
    }
    entry.attempt.end(new Date(at));
    entry.attempt = undefined;
  };
  const endTask = (taskId: string, at: number, outcome: string, error?: Failure) => {
    const entry = open.get(taskId);
    if (!entry) return;
    endAttempt(taskId, at, error);
    entry.task.setAttribute('overseer.task.outcome', outcome);
    if (error === undefined) entry.task.setStatus({ code: SpanStatusCode.OK });
    else {
      entry.task.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      entry.task.setAttribute('error.type', error.code);
    }
    entry.task.end(new Date(at));
    open.delete(taskId);
  };

  events.on('task.submitted', (e) => {
    const task = tracer.startSpan('overseer.task', {
      startTime: new Date(e.at),
      attributes: {
        'overseer.task.id': e.taskId,
        'overseer.task.type': e.taskType,
        'overseer.task.priority': e.priority,
        'overseer.task.max_attempts': e.maxAttempts,
      },
    });
    open.set(e.taskId, { task, type: e.taskType, attempt: undefined });
  });
  events.on('task.started', (e) => {
    const entry = open.get(e.taskId);
    if (!entry) return;
    endAttempt(e.taskId, e.at, SUPERSEDED);
    entry.attempt = tracer.startSpan(
      'overseer.task.attempt',
      {
        startTime: new Date(e.at),
        attributes: {
          'overseer.task.id': e.taskId,
          'overseer.task.type': entry.type,
          'overseer.task.attempt': e.attempt,
          'overseer.agent.id': e.agentId,
        },
      },
      trace.setSpan(context.active(), entry.task),
    );
  });
  events.on('tool.called', (e) => {
    const entry = open.get(e.taskId);
    if (!entry) return;
    const span = tracer.startSpan(
      'overseer.tool',
      {
        startTime: new Date(e.at - e.ms),
        attributes: {
          'overseer.tool.name': e.tool,
          'overseer.tool.outcome': e.outcome,
          'overseer.tool.runs': e.runs,
          'overseer.task.id': e.taskId,
          'overseer.task.attempt': e.attempt,
          'overseer.agent.id': e.agentId,
        },
      },
      trace.setSpan(context.active(), entry.attempt ?? entry.task),
    );
    if (e.error === undefined) span.setStatus({ code: SpanStatusCode.OK });
    else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
      span.setAttribute('error.type', e.error.code);
    }
    span.end(new Date(e.at));
  });
  events.on('task.retrying', (e) => endAttempt(e.taskId, e.at, e.error));
  events.on('task.completed', (e) => endTask(e.taskId, e.at, 'completed'));
  events.on('task.failed', (e) => endTask(e.taskId, e.at, 'failed', e.error));
  events.on('task.cancelled', (e) =>
    endTask(e.taskId, e.at, 'cancelled', { code: 'TaskCancelled', message: e.reason }),
  );

  return () => {
    const at = now();
    for (const [taskId, entry] of open) {
      endAttempt(taskId, at, STOPPED);
      entry.task.setAttribute('overseer.task.outcome', 'unfinished');
      entry.task.end(new Date(at));
    }
    open.clear();
  };
}
