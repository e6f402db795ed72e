import { OverseerError } from './overseer-error.js';

/**
 * A machine uses something the compiled interpreter does not run (parallel or history
 * states, invoked actors, spawning, ...). Raised when the machine is compiled, at start-up,
 * so a machine is refused before it could ever be run differently from XState.
 */
export class UnsupportedMachineFeature extends OverseerError {
  readonly code = 'UnsupportedMachineFeature';
  constructor(
    readonly machineId: string,
    readonly where: string,
    readonly feature: string,
  ) {
    super(
      `machine "${machineId}" cannot be compiled: ${where} uses ${feature}, which the compiled interpreter does not support; run it as an XState actor or remove the feature`,
    );
  }
}
