import { OverseerError } from './overseer-error.js';

/** `serveDashboard` was given an option it cannot use (or does not know); `field` names it. */
export class InvalidDashboardOptions extends OverseerError {
  readonly code = 'InvalidDashboardOptions';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid dashboard option ${field}: ${reason}`);
  }
}
