// One OpenTelemetry span per task attempt. STUB: filled in by the tracing work.
import type { Tracer } from '@opentelemetry/api';
import type { EventStream } from '../system/event-stream.js';

export function traceAttempts(_events: EventStream, _tracer: Tracer): void {}
