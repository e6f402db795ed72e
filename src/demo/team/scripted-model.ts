// A deterministic stand-in for a language model: it answers each role's prompt of the trip
// team from a script drawn from a seed, taking simulated time to "think". The script makes
// one worker answer with broken JSON on its first run (so the schema repair loop runs), one
// tool time out once (trip-tools.ts) and the validator reject one step once (so a rejection
// and a rerun show), whatever the seed; the seed picks which, and how long each answer takes.
// Whatever the seed, the first plan's hotel is over budget every time (trip-plans.ts): the
// step fails, and the planner, told why, replans.
import { seededRandom } from '../../../machines/seeded-random.js';
import type { SystemClock } from '../../core/clock.js';
import { clockDelay } from './clock-delay.js';
import { overBudget, tripPlan } from './trip-plans.js';

export const TRIP_WORKERS = ['flights', 'hotels', 'weather'] as const;
export type TripWorker = (typeof TRIP_WORKERS)[number];

/** Which worker, tool and step the script troubles. */
export interface ModelScript {
  /** Its first answer is broken JSON. */
  readonly badJson: TripWorker;
  /** The tool of this worker times out on its first run. */
  readonly slowTool: TripWorker;
  /** The validator rejects the first output of this worker it would otherwise accept. */
  readonly rejected: TripWorker;
}

export type Prompt =
  | {
      readonly role: 'planner';
      readonly goal: unknown;
      readonly round: number;
      /** Why the last round failed; none in round 1. */
      readonly feedback: readonly string[];
    }
  | {
      readonly role: TripWorker;
      /** What the worker's tool returned. */
      readonly facts: Readonly<Record<string, unknown>>;
      readonly run: number;
      readonly feedback: readonly string[];
    }
  | { readonly role: 'validator'; readonly worker: string; readonly output: unknown };

export interface ScriptedModel {
  readonly script: ModelScript;
  /** The model's answer to `prompt`, as text (JSON, unless the script breaks it). */
  answer(prompt: Prompt, signal: AbortSignal): Promise<string>;
}

/** The script for `seed`: the same seed, the same troubles. */
export function tripScript(seed: number): ModelScript {
  const random = seededRandom(seed);
  const pick = (from: readonly TripWorker[]) =>
    from[Math.floor(random() * from.length)] ?? TRIP_WORKERS[0];
  const badJson = pick(TRIP_WORKERS);
  const rejected = pick(TRIP_WORKERS.filter((w) => w !== badJson));
  return { badJson, rejected, slowTool: pick(TRIP_WORKERS) };
}

export function scriptedModel(seed: number, clock: SystemClock): ScriptedModel {
  const script = tripScript(seed);
  const random = seededRandom(seed ^ 0x70de1);
  let rejectedOnce = false;
  let brokeOnce = false;
  const reply = (prompt: Prompt): string => {
    if (prompt.role === 'planner') return JSON.stringify(tripPlan(prompt.feedback));
    if (prompt.role === 'validator') {
      const tooDear = prompt.worker === 'hotels' ? overBudget(prompt.output) : undefined;
      if (tooDear) return JSON.stringify({ verdict: 'reject', feedback: tooDear });
      if (prompt.worker === script.rejected && !rejectedOnce) {
        rejectedOnce = true;
        return JSON.stringify({
          verdict: 'reject',
          feedback: `check the ${prompt.worker} answer against the source again`,
        });
      }
      return JSON.stringify({ verdict: 'accept' });
    }
    const text = JSON.stringify(prompt.facts);
    if (prompt.role !== script.badJson || brokeOnce) return text;
    brokeOnce = true;
    // A model that stops mid-object: the worker cannot parse it, the schema refuses it.
    return text.slice(0, -9);
  };
  return {
    script,
    answer: async (prompt, signal) => {
      await clockDelay(clock, 100 + Math.round(random() * 200), signal);
      return reply(prompt);
    },
  };
}
