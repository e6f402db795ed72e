// The trip-planning team: a planner, three workers that each call their tool and have the
// model turn its result into the step's output (JSON fitting the worker's schema), and a
// validator. Every role asks the scripted model (scripted-model.ts).
import type { AgentDeclaration, HandlerContext } from '../../agents/agent-declaration.js';
import type { TeamSpec } from '../../teams/team-spec.js';
import type { ToolCalls } from '../../tools/tool-calls.js';
import type { ScriptedModel, TripWorker } from './scripted-model.js';
import { TRIP_WORKERS } from './scripted-model.js';
import { HOTEL_BUDGET_PER_NIGHT } from './trip-plans.js';
import { flightOffer, forecast, hotelOffer, type TripTools } from './trip-tools.js';

type Ctx = HandlerContext<ToolCalls<TripTools>>;

/** What a `team.step` task's input holds (docs/teams.md). */
interface StepInput {
  readonly input: Record<string, string>;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly feedback: readonly string[];
  readonly run: number;
}

/** The tool each worker calls, with what it asks. */
const lookUp: Record<TripWorker, (s: StepInput, ctx: Ctx) => Promise<Record<string, unknown>>> = {
  flights: (s, ctx) => ctx.tools.searchFlights({ from: s.input.from ?? '', to: s.input.to ?? '' }),
  hotels: (s, ctx) => {
    const flight = s.inputs.flight as { arrives?: string } | undefined;
    const { city = '', area = '' } = s.input;
    return ctx.tools.searchHotels({ city, area, checkIn: flight?.arrives ?? '' });
  },
  weather: (s, ctx) => ctx.tools.forecast({ city: s.input.city ?? '' }),
};

const TOOL_OF: Record<TripWorker, keyof TripTools> = {
  flights: 'searchFlights',
  hotels: 'searchHotels',
  weather: 'forecast',
};

/** The model's text as JSON, or the text itself when it is not: the schema then refuses it. */
const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function tripAgents(model: ScriptedModel): AgentDeclaration[] {
  const worker = (role: TripWorker): AgentDeclaration => ({
    id: role,
    capabilities: [role],
    tools: [TOOL_OF[role]],
    handler: async (step: StepInput, ctx: Ctx) => {
      const facts = await lookUp[role](step, ctx);
      return parsed(
        await model.answer({ role, facts, run: step.run, feedback: step.feedback }, ctx.signal),
      );
    },
  });
  return [
    {
      id: 'planner',
      capabilities: ['plan'],
      handler: async (
        input: { goal: unknown; round: number; feedback: readonly string[] },
        ctx: HandlerContext,
      ) => parsed(await model.answer({ role: 'planner', ...input }, ctx.signal)),
    },
    ...TRIP_WORKERS.map(worker),
    {
      id: 'validator',
      capabilities: ['judge'],
      handler: async (
        input: { step: { capability: string }; output: unknown },
        ctx: HandlerContext,
      ) =>
        parsed(
          await model.answer(
            { role: 'validator', worker: input.step.capability, output: input.output },
            ctx.signal,
          ),
        ),
    },
  ];
}

/** The team's spec: each worker's output must fit its schema. */
export const TRIP_SPEC: TeamSpec = {
  goal: `a long weekend in Lisbon from Berlin, the hotel at most ${HOTEL_BUDGET_PER_NIGHT} a night`,
  planner: 'plan',
  validator: 'judge',
  workers: [...TRIP_WORKERS],
  outputs: { flights: flightOffer, hotels: hotelOffer, weather: forecast },
  maxRounds: 3,
  maxStepRuns: 3,
};
