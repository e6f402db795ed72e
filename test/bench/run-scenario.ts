// Runs one scenario in this process and prints its result as JSON on stdout; main.ts
// starts one such process per scenario so heap and JIT state never carry over. A third
// argument turns on CPU profiles of overseer's part, written into that directory.
import { profileInto } from './cpu-profile.js';
import type { ScenarioResult } from './harness.js';
import { dashboard } from './scenarios/dashboard.js';
import { distributed } from './scenarios/distributed.js';
import { durability } from './scenarios/durability.js';
import { isolation } from './scenarios/isolation.js';
import { latency } from './scenarios/latency.js';
import { memory } from './scenarios/memory.js';
import { qos } from './scenarios/qos.js';
import { recovery } from './scenarios/recovery.js';
import { scale } from './scenarios/scale.js';
import { soak } from './scenarios/soak.js';
import { supervision } from './scenarios/supervision.js';
import { teams } from './scenarios/teams.js';
import { throughput } from './scenarios/throughput.js';

export const SCENARIOS: Record<string, (quick: boolean) => Promise<ScenarioResult>> = {
  throughput,
  scale,
  memory,
  latency,
  recovery,
  supervision,
  durability,
  isolation,
  soak,
  qos,
  teams,
  distributed,
  dashboard,
};

const [name, mode, profileDir] = process.argv.slice(2);
const scenario = name ? SCENARIOS[name] : undefined;
if (!scenario) {
  process.stderr.write(
    `unknown scenario ${String(name)}; known: ${Object.keys(SCENARIOS).join(', ')}\n`,
  );
  process.exit(2);
}
if (profileDir) profileInto(profileDir);
const result = await scenario(mode === 'quick');
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
