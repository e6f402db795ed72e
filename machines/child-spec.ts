// OTP's child specification and restart vocabulary, and the pure decisions a supervisor
// makes with them: whether an exit restarts a child, and which children a strategy touches.
import type { ChildExit } from './child-exit.js';

/**
 * permanent: always restarted. transient: restarted only after an abnormal exit.
 * temporary: never restarted.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * one_for_one: restart the child that exited. one_for_all: restart every child.
 * rest_for_one: restart the child and those started after it.
 */
export type RestartStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface ChildSpec {
  /** Actor id of the child, unique under its supervisor, e.g. `agent:image-1`. */
  readonly id: string;
  /** Which actor logic runs the child: the supervisor machine's `agent` or `supervisor`. */
  readonly src: 'agent' | 'supervisor';
  /** Serializable input handed to the child at every (re)start. */
  readonly input?: unknown;
  readonly restart: RestartType;
  /** Time a child gets to drain on shutdown before it is stopped, in ms. */
  readonly shutdownTimeoutMs: number;
}

export function shouldRestart(restart: RestartType, exit: ChildExit): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'transient') return exit.kind === 'abnormal';
  return false;
}

/**
 * The children a strategy restarts after `failedId` exited, in start order, among the
 * children that are live or the failed one.
 */
export function restartGroup(
  strategy: RestartStrategy,
  specs: readonly ChildSpec[],
  live: ReadonlySet<string>,
  failedId: string,
): ChildSpec[] {
  const index = specs.findIndex((spec) => spec.id === failedId);
  if (index < 0) return [];
  const inGroup = (spec: ChildSpec, i: number) =>
    spec.id === failedId ||
    (live.has(spec.id) &&
      (strategy === 'one_for_all' || (strategy === 'rest_for_one' && i > index)));
  return specs.filter(inGroup);
}
