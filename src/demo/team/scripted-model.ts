// A deterministic stand-in for a language model: it answers each role's prompt of the trip
// team from a script drawn from a seed, taking simulated time to "think". The script makes
// one worker answer with broken JSON on its first run (so the schema repair loop runs), one
// tool time out once (trip-tools.ts) and the validator reject one step once (so a rejection
// and a rerun show), whatever the seed; the seed picks which, and how long each answer takes.
import { seededRandom } from '../../../machines/seeded-random.js';
import type { SystemClock } from '../../core/clock.js';
import { clockDelay } from './clock-delay.js';

export const TRIP_WORKERS = ['flights', 'hotels', 'weather'] as const;
export type TripWorker = (typeof TRIP_WORKERS)[number];

/** Which worker, tool and step the script troubles. */
export interface ModelScript {
  /** Its first answer is broken JSON. */
  readonly badJson: TripWorker;
  /** The tool of this worker times out on its first run. */
  readonly slowTool: TripWorker;
  /** The validator rejects this worker's first output. */
  readonly rejected: TripWorker;
}

export type Prompt =
  | { readonly role: 'planner'; readonly goal: unknown; readonly round: number }
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

/** The trip plan: a flight, then a hotel for its dates, and the weather meanwhile. */
export const TRIP_PLAN = {
  steps: [
    { id: 'flight', capability: 'flights', input: { from: 'Berlin', to: 'Lisbon' } },
    { id: 'hotel', capability: 'hotels', input: { city: 'Lisbon' }, dependsOn: ['flight'] },
    { id: 'weather', capability: 'weather', input: { city: 'Lisbon' } },
  ],
  note: 'book the flight first: the hotel follows its dates',
};

export function scriptedModel(seed: number, clock: SystemClock): ScriptedModel {
  const script = tripScript(seed);
  const random = seededRandom(seed ^ 0x70de1);
  let rejectedOnce = false;
  const reply = (prompt: Prompt): string => {
    if (prompt.role === 'planner') return JSON.stringify(TRIP_PLAN);
    if (prompt.role === 'validator') {
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
    // A model that stops mid-object: the worker cannot parse it, the schema refuses it.
    return prompt.role === script.badJson && prompt.run === 1 ? text.slice(0, -9) : text;
  };
  return {
    script,
    answer: async (prompt, signal) => {
      await clockDelay(clock, 200 + Math.round(random() * 400), signal);
      return reply(prompt);
    },
  };
}
