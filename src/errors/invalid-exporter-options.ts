import { OverseerError } from './overseer-error.js';

/** An exporter (e.g. `prometheusMetrics`) was given an option it cannot use; `field` names it. */
export class InvalidExporterOptions extends OverseerError {
  readonly code = 'InvalidExporterOptions';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid exporter option ${field}: ${reason}`);
  }
}
