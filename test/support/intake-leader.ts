// A leader for tests of a cluster's clients: a system on a PostgreSQL store of its own
// (schema `schema`, in `dir`'s database) taking clients' submissions in; `start` false
// leaves it to the test to start (`lead()`), so submissions can wait for a leader first.
import { type Intake, takeSubmissions } from '../../src/cluster/submission-intake.js';
import { createSystem, type SystemOptions } from '../../src/index.js';
import type { tempDir } from '../store/fixtures.js';

export async function intakeLeader(
  dir: ReturnType<typeof tempDir>,
  schema: string,
  options: Omit<SystemOptions, 'store'>,
  { start = true } = {},
) {
  const store = await dir.postgres({ schema });
  const system = createSystem({ store, ...options });
  let intake: Intake | undefined;
  const lead = async () => {
    system.start();
    intake = await takeSubmissions(system, store, { pollMs: 50 });
  };
  if (start) await lead();
  return {
    store,
    system,
    lead,
    close: async () => {
      await intake?.close();
      await system.stop();
      await store.close();
    },
  };
}
