// The trip team's tools, declared once on the system: flight search, hotel search and a
// forecast, each a simulated API taking time on the system clock, with a timeout and one
// retry. The script's slow tool hangs on its first run: its timeout fires and the retry
// answers, which the demo counts (`toolTimeouts`). Hotels in Chiado cost more than the
// trip's budget (trip-plans.ts), hotels elsewhere less.
import { seededRandom } from '../../../machines/seeded-random.js';
import type { SystemClock } from '../../core/clock.js';
import { ToolTimedOut } from '../../errors/index.js';
import { defineTool } from '../../tools/tool-declaration.js';
import { clockDelay } from './clock-delay.js';
import { flatSchema } from './flat-schema.js';
import type { TripWorker } from './scripted-model.js';

/** Time one run of a tool gets, simulated ms. */
export const TOOL_TIMEOUT_MS = 1_000;

export const flightOffer = flatSchema({ airline: 'string', price: 'number', arrives: 'string' });
export const hotelOffer = flatSchema({
  name: 'string',
  pricePerNight: 'number',
  checkIn: 'string',
});
export const forecast = flatSchema({ city: 'string', summary: 'string', highC: 'number' });

/** A night's price in each area: from `least`, up to `spread` more. */
const NIGHTLY_RATES: Readonly<Record<string, { least: number; spread: number }>> = {
  Chiado: { least: 160, spread: 60 },
};
const USUAL_RATE = { least: 80, spread: 30 };

/** Timeouts the tools have seen, counted as they happen. */
export interface ToolTimeouts {
  count: number;
}

export function tripTools(
  seed: number,
  clock: SystemClock,
  slowTool: TripWorker,
  timeouts: ToolTimeouts,
) {
  const random = seededRandom(seed ^ 0x7001);
  const hangs = new Set<TripWorker>([slowTool]);
  /** Simulated API latency; the slow tool's first run waits until its timeout aborts it. */
  const latency = async (tool: TripWorker, signal: AbortSignal) => {
    const hang = hangs.delete(tool);
    try {
      await clockDelay(clock, hang ? 60_000 : 50 + Math.round(random() * 150), signal);
    } catch (error) {
      if (error instanceof ToolTimedOut) timeouts.count++;
      throw error;
    }
  };
  const limits = {
    timeoutMs: TOOL_TIMEOUT_MS,
    concurrency: 2,
    retry: { maxAttempts: 2, backoff: { kind: 'fixed' as const, delayMs: 100 } },
  };
  return {
    searchFlights: defineTool({
      input: flatSchema({ from: 'string', to: 'string' }),
      output: flightOffer,
      handler: async (_route, { signal }) => {
        await latency('flights', signal);
        return { airline: 'TAP', price: 120 + Math.round(random() * 80), arrives: '2027-05-14' };
      },
      ...limits,
    }),
    searchHotels: defineTool({
      input: flatSchema({ city: 'string', area: 'string', checkIn: 'string' }),
      output: hotelOffer,
      handler: async ({ city, area, checkIn }, { signal }) => {
        await latency('hotels', signal);
        const rate = NIGHTLY_RATES[area] ?? USUAL_RATE;
        const pricePerNight = rate.least + Math.round(random() * rate.spread);
        return { name: `Casa ${area || city}`, pricePerNight, checkIn };
      },
      ...limits,
    }),
    forecast: defineTool({
      input: flatSchema({ city: 'string' }),
      output: forecast,
      handler: async ({ city }, { signal }) => {
        await latency('weather', signal);
        return { city, summary: 'sunny spells', highC: 20 + Math.round(random() * 6) };
      },
      ...limits,
    }),
  };
}

export type TripTools = ReturnType<typeof tripTools>;
