// The supervisor machine's vocabulary: its input, context, the events it takes and the
// events it emits.
import type { ChildDoneEvent, ChildErrorEvent, ChildExit } from './child-exit.js';
import type { ChildSpec, RestartStrategy } from './child-spec.js';
import type { RestartIntensity } from './restart-intensity.js';

export interface SupervisorMachineInput {
  readonly supervisorId: string;
  /** Default one_for_one. */
  readonly strategy?: RestartStrategy;
  /** Default OTP's: 1 restart in 5000 ms. */
  readonly intensity?: RestartIntensity;
  readonly children?: readonly ChildSpec[];
}

export interface RestartRecord {
  readonly childId: string;
  readonly reason: string;
}

export interface SupervisorContext {
  readonly supervisorId: string;
  readonly strategy: RestartStrategy;
  readonly intensity: RestartIntensity;
  /** Child specs in start order. */
  readonly children: readonly ChildSpec[];
  /** Ids of the children running now. */
  readonly live: readonly string[];
  /** Restarts inside the intensity window, oldest first. */
  readonly recentRestarts: readonly RestartRecord[];
  readonly restartCount: number;
  readonly exit: ChildExit | null;
  /**
   * While stopping: the children still to shut down, in reverse start order. The first is
   * draining now; it gets its spec's `shutdownTimeoutMs`, then it is killed.
   */
  readonly shutdownQueue: readonly string[];
  /**
   * Children asked to drain one by one (`child.drain`, OTP's terminate_child): their exit
   * is not restarted, and their spec goes (delete_child).
   */
  readonly retiring: readonly string[];
}

export type SupervisorEvent =
  | { readonly type: 'child.add'; readonly spec: ChildSpec }
  | { readonly type: 'child.remove'; readonly childId: string }
  /** Drain one live child (it finishes its work, takes no more, then exits), not restarted. */
  | { readonly type: 'child.drain'; readonly childId: string }
  | { readonly type: 'intensity.decay' }
  /** The child at the head of the shutdown queue did not stop within its shutdownTimeoutMs. */
  | { readonly type: 'shutdown.timeout' }
  | { readonly type: 'drain' }
  | { readonly type: 'stop' }
  | ChildErrorEvent
  | ChildDoneEvent;

export type SupervisorEmitted =
  | {
      readonly type: 'supervisor.child.exited';
      readonly supervisorId: string;
      readonly childId: string;
      readonly exit: ChildExit;
    }
  | {
      readonly type: 'supervisor.restarted';
      readonly supervisorId: string;
      readonly childId: string;
      readonly exit: ChildExit;
      readonly restarted: readonly string[];
    }
  | {
      readonly type: 'supervisor.escalated';
      readonly supervisorId: string;
      readonly childId: string;
      readonly exit: ChildExit;
      readonly restartsInWindow: number;
    };
