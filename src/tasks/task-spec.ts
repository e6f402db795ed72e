// What a user submits: the task spec, and the normalized form the runtime works with.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Resources } from '../../machines/resources.js';
import type { RetryPolicy } from '../../machines/retry-policy.js';

export interface TaskSpec<Input = unknown, Output = unknown> {
  /** Your id for the task; unique per system. Default: a generated nanoid (never beginning with `-`). */
  readonly id?: string;
  /** What kind of work this is, e.g. `resize-image`; used in logs and metrics. */
  readonly type: string;
  readonly input?: Input;
  /** Integer, higher runs first. Default 0; negative values are rejected. */
  readonly priority?: number;
  /** Every capability the running agent must offer. Default none. */
  readonly capabilities?: readonly string[];
  /** Named amounts reserved on the agent while the task runs, e.g. `{ gpu: 1 }`. */
  readonly resources?: Resources;
  /** Ids of tasks that must complete first; a failed or cancelled one fails this task. */
  readonly dependsOn?: readonly string[];
  /** Absolute clock time (ms) after which the task must not start. */
  readonly deadline?: number;
  /** Per-attempt timeout in ms; the handler's signal aborts when it passes. Default none. */
  readonly timeoutMs?: number;
  /** Overrides the system's default retry policy. */
  readonly retry?: RetryPolicy;
  /** A second submit with the same key returns the first task instead of a new one. */
  readonly idempotencyKey?: string;
  /** Any Standard Schema validator (zod, valibot, arktype...); invalid output fails the attempt. */
  readonly outputSchema?: StandardSchemaV1<unknown, Output>;
  /** Quality-of-service class label, for fair-share scheduling. Default `default`. */
  readonly qos?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A validated spec with every default applied. */
export interface NormalizedTask {
  readonly id: string;
  readonly type: string;
  readonly input: unknown;
  readonly priority: number;
  readonly capabilities: readonly string[];
  readonly resources: Resources;
  readonly dependsOn: readonly string[];
  readonly deadline: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly retry: RetryPolicy;
  readonly idempotencyKey: string | undefined;
  readonly outputSchema: StandardSchemaV1 | undefined;
  readonly qos: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}
