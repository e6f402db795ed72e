// The three service classes of the QoS benchmark: their share of the tasks, their latency
// objective (submit to finish) and the priority a class-less system gives them.

export type ClassName = 'interactive' | 'standard' | 'batch';

export interface ServiceClass {
  readonly name: ClassName;
  /** Share of the tasks (and of the batches: a batch has one class). */
  readonly share: number;
  /** Latency objective from submit to finish, in ms; also each batch's deadline from submit. */
  readonly sloMs: number;
  /** The task priority in a system without QoS classes (higher first). */
  readonly priority: number;
}

export const CLASSES: readonly ServiceClass[] = [
  { name: 'interactive', share: 0.2, sloMs: 3_000, priority: 2 },
  { name: 'standard', share: 0.5, sloMs: 20_000, priority: 1 },
  { name: 'batch', share: 0.3, sloMs: 120_000, priority: 0 },
];

export const classNamed = (name: ClassName): ServiceClass =>
  CLASSES.find((c) => c.name === name) as ServiceClass;
