// One overload controller per QoS class (machines/class-controller.ts), compiled and run on
// the system's clock. The dispatcher tells it the queueing delay of each task that leaves
// the class's queue; what it decides (a mode change, a sweep of expired work) comes back
// through `onMode` and `onSweep`, and each mode change is published as `qos.mode`.
import {
  type ClassControllerInput,
  type ClassMode,
  classControllerMachine,
} from '../../machines/class-controller.js';
import type { QosOptions } from '../../machines/qos-classes.js';
import { CompiledActor } from '../compiled/compiled-actor.js';
import { compileMachine } from '../compiled/compiled-machine.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';

export interface ClassControllerHooks {
  /** The class changed mode: `overloaded` and `shedding` serve freshest first. */
  onMode(qos: string, mode: ClassMode): void;
  /** Queued work of the class that can no longer finish in time should leave now. */
  onSweep(qos: string): void;
}

/**
 * A class's overload settings, by default from its SLO: a queueing delay above half the
 * SLO, for half the SLO, means the class cannot keep its promise (measured in the QoS
 * benchmark: tighter targets read ordinary batch arrivals as overload and cost attainment).
 */
export function controllerInput(
  qos: string,
  sloMs: number,
  options: QosOptions,
): ClassControllerInput {
  const control = options.classes[qos]?.overloadControl;
  const own = control === false ? undefined : control;
  return {
    qos,
    targetMs: own?.targetMs ?? sloMs / 2,
    intervalMs: own?.intervalMs ?? sloMs / 2,
    sloMs,
  };
}

export class ClassControllers {
  readonly #actors = new Map<string, CompiledActor>();
  readonly #modes = new Map<string, ClassMode>();

  constructor(
    qos: QosOptions,
    clock: SystemClock,
    events: EventStream,
    hooks: ClassControllerHooks,
  ) {
    const logic = compileMachine(classControllerMachine);
    for (const [name, cls] of Object.entries(qos.classes)) {
      if (cls.overloadControl === false) continue;
      const actor = new CompiledActor(logic, {
        id: `qos:${name}`,
        input: controllerInput(name, cls.sloMs, qos),
        clock,
      });
      actor.on('mode.changed', (e) => {
        const { mode, delayMs, at } = e as unknown as {
          mode: ClassMode;
          delayMs: number;
          at: number;
        };
        this.#modes.set(name, mode);
        hooks.onMode(name, mode);
        events.publish({ type: 'qos.mode', qos: name, mode, delayMs, at });
      });
      actor.on('sweep.due', () => hooks.onSweep(name));
      actor.start();
      this.#actors.set(name, actor);
      this.#modes.set(name, 'normal');
    }
  }

  mode(qos: string): ClassMode {
    return this.#modes.get(qos) ?? 'normal';
  }

  /** A task of the class left its queue after `delayMs`; `backlogMs`: the wait still queued. */
  sampled(qos: string, delayMs: number, backlogMs: number, at: number): void {
    this.#actors.get(qos)?.send({ type: 'delay.sampled', delayMs, backlogMs, at });
  }

  emptied(qos: string, at: number): void {
    this.#actors.get(qos)?.send({ type: 'queue.emptied', at });
  }

  stop(): void {
    for (const actor of this.#actors.values()) actor.stop();
  }
}
