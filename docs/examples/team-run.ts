// A team run: a planner splits a goal into steps, workers carry them out (each step an
// ordinary task, routed by capability), a validator judges each output, and a step whose
// output does not fit its schema or is rejected runs again with the feedback.
import { createSystem, runTeam } from 'overseer';
import { z } from 'zod';

interface StepInput {
  readonly step: string;
  readonly input: { readonly city: string };
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly feedback: readonly string[];
}

const system = createSystem({
  agents: [
    {
      id: 'planner',
      capabilities: ['plan'],
      // A real planner asks a model; this one knows the plan. Its output must be a plan
      // (machines/team-plan.ts exports the JSON Schema a model can be asked to fit).
      handler: () => ({
        steps: [
          { id: 'flight', capability: 'flights', input: { city: 'Lisbon' } },
          { id: 'hotel', capability: 'hotels', input: { city: 'Lisbon' } },
          {
            id: 'summary',
            capability: 'writer',
            input: { city: 'Lisbon' },
            dependsOn: ['flight', 'hotel'],
          },
        ],
      }),
    },
    {
      id: 'flights',
      capabilities: ['flights'],
      // The first answer is not valid JSON for the schema below: the team repairs it.
      handler: ({ feedback }: StepInput) =>
        feedback.length === 0 ? { price: 'cheap' } : { price: 129, airline: 'TP' },
    },
    { id: 'hotels', capabilities: ['hotels'], handler: () => ({ price: 95, name: 'Alfama Inn' }) },
    {
      id: 'writer',
      capabilities: ['writer'],
      handler: ({ inputs }: StepInput) => ({
        text: `Fly for ${(inputs.flight as { price: number }).price} EUR, sleep at ${(inputs.hotel as { name: string }).name}.`,
      }),
    },
    {
      id: 'validator',
      capabilities: ['judge'],
      handler: ({ output }: { output: unknown }) =>
        JSON.stringify(output).length > 0
          ? { verdict: 'accept' }
          : { verdict: 'reject', feedback: 'empty' },
    },
  ],
}).start();

const run = runTeam(system, {
  goal: 'a weekend in Lisbon',
  planner: 'plan',
  validator: 'judge',
  outputs: { flights: z.object({ price: z.number(), airline: z.string() }) },
  maxRounds: 2,
});
const result = await run.result();

export const summary = (result.outputs.summary as { text: string }).text;
export const repairs = result.history.filter((entry) => entry.kind === 'step.repair').length;
export const rounds = result.rounds;

await system.stop();
