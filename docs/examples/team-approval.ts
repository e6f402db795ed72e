// People in the loop, across a restart: a team whose booking step waits for a person, with
// a shared budget the buying steps write on. The first process stops while the booking
// waits; a second one on the same store finds the run, resumes it, and the approval lets
// it finish. (Here both "processes" are systems in one script, sharing a SQLite file.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentDeclaration,
  approveTeamRun,
  createSystem,
  resumeTeam,
  runTeam,
  sqliteStore,
  storedTeamRuns,
  type TeamDefinition,
} from 'overseer';

interface StepInput {
  readonly input: { readonly price?: number };
  readonly state: { readonly version: number; readonly value: { readonly spent: number } };
}

const agents: AgentDeclaration[] = [
  {
    id: 'planner',
    capabilities: ['plan'],
    handler: () => ({
      steps: [
        { id: 'flight', capability: 'buy', input: { price: 129 } },
        { id: 'hotel', capability: 'buy', input: { price: 190 } },
        { id: 'book', capability: 'booking', dependsOn: ['flight', 'hotel'] },
      ],
    }),
  },
  {
    id: 'buyer',
    capabilities: ['buy'],
    concurrency: 2,
    handler: ({ input }: StepInput) => ({ price: input.price }),
  },
  {
    id: 'booker',
    capabilities: ['booking'],
    handler: ({ state }: StepInput) => ({ booked: true, total: state.value.spent }),
  },
  { id: 'validator', capabilities: ['judge'], handler: () => ({ verdict: 'accept' }) },
];

// The team's definition: what a store cannot hold (functions), given again on resume.
const team: TeamDefinition = {
  name: 'trip',
  planner: 'plan',
  validator: 'judge',
  approval: { steps: ['booking'], timeoutMs: 24 * 3_600_000 },
  state: {
    initial: { spent: 0 },
    writes: {
      buy: (output: { price: number }, read) => ({ spent: Number(read.spent) + output.price }),
    },
  },
};

const dir = mkdtempSync(join(tmpdir(), 'overseer-team-'));
const path = join(dir, 'state.db');

// The first process: starts the run, which plans, buys, and waits before booking.
const first = createSystem({ agents, store: sqliteStore(path) }).start();
const run = runTeam(first, { ...team, goal: 'a weekend in Lisbon' });
await new Promise<void>((waiting) =>
  run.subscribe((event) => {
    if (event.kind === 'approval.requested') waiting();
  }),
);
await first.stop();

// The second process: the run is still waiting; a person approves it by its id.
const second = createSystem({ agents, store: sqliteStore(path) }).start();
export const waiting = storedTeamRuns(second).map(({ name, state }) => `${name}: ${state}`);
const resumed = resumeTeam(second, run.id, team);
approveTeamRun(second, run.id, { accept: true });
const result = await resumed.result();

export const booking = result.outputs.book;
export const spent = result.state?.value.spent;
await second.stop();
rmSync(dir, { recursive: true, force: true });
