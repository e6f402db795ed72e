// Writes a system's lifecycle events to its logger. STUB: filled in by the logging work.
import type { EventStream } from '../system/event-stream.js';
import type { Logger } from './logger.js';

export function logEvents(_events: EventStream, _logger: Logger): void {}
