// Property tests run on a fixed seed so CI is reproducible; FC_SEED replays another run,
// FC_RUNS widens it. fast-check prints the seed and the shrunk counterexample on failure.
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 20_261_122);
const numRuns = process.env.FC_RUNS === undefined ? undefined : Number(process.env.FC_RUNS);
fc.configureGlobal({ seed, ...(numRuns === undefined ? {} : { numRuns }) });
