// Feeds the demo's plan to the system as the simulated clock reaches each submission. A
// resumed run skips the submissions its store already holds (each was accepted whole); a
// submission a full or late class refuses (`Overloaded`) is counted as rejected, as a
// client that gave up would be, and the run goes on.
import { Overloaded } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { DemoSubmission } from './demo-plan.js';

export interface DemoSubmitter {
  /** Submits every planned submission due by `now`. */
  submitDue(now: number): Promise<void>;
  /** Tasks refused at submit so far. */
  readonly rejected: number;
}

export function demoSubmitter(
  system: OverseerSystem,
  plan: readonly DemoSubmission[],
  storedTasks: number,
): DemoSubmitter {
  let next = 0;
  let skip = storedTasks;
  let rejected = 0;
  const submit = async (s: DemoSubmission, now: number) => {
    try {
      if (s.batch)
        await system.submitBatch(s.specs, { qos: s.batch.qos, deadline: now + s.batch.deadlineMs });
      else await system.submitMany(s.specs);
    } catch (error) {
      if (!(error instanceof Overloaded)) throw error;
      rejected += s.specs.length;
    }
  };
  return {
    async submitDue(now) {
      for (let s = plan[next]; s !== undefined && s.atMs <= now; s = plan[++next]) {
        if (skip > 0) skip -= s.specs.length;
        else await submit(s, now);
      }
    },
    get rejected() {
      return rejected;
    },
  };
}
