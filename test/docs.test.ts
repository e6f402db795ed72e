import { describe, expect, it } from 'vitest';

// The examples in docs/ are type-checked with the rest of the repo (tsconfig includes
// docs/examples) and run here, so the snippets the guides show keep working.
describe('docs/examples', () => {
  it('quick-start runs as pasted', async () => {
    await expect(import('../docs/examples/quick-start.js')).resolves.toBeDefined();
  });

  it('retries-and-timeouts retries the flaky handler to success', async () => {
    const example = await import('../docs/examples/retries-and-timeouts.js');
    expect(example.attempts).toBe(3);
    expect(example.output).toEqual({
      address: 'Unter den Linden 1, Berlin',
      lat: 52.52,
      lon: 13.4,
    });
  });

  it('supervision-tree restarts extract and transform under rest_for_one', async () => {
    const example = await import('../docs/examples/supervision-tree.js');
    expect(example.output).toBe('rows, transformed');
    expect(new Set(example.restarted)).toEqual(new Set(['pipeline/extract', 'pipeline/transform']));
  });

  it('qos-classes degrades a full class and refuses a full one with Overloaded', async () => {
    const example = await import('../docs/examples/qos-classes.js');
    expect(example.classes).toEqual(['interactive', 'standard']);
    expect(example.refused).toEqual({ qos: 'standard', queueCap: 2 });
  });

  it('qos-overload refuses late work, delays a full class and trips a flaky agent’s breaker', async () => {
    const example = await import('../docs/examples/qos-overload.js');
    expect(example.refusal).toBe('predicted-late');
    expect(example.reportsDone).toBe(3);
    expect(example.scored).toBe(6);
    expect(example.breaker).toBe('open');
  });

  it('team-run plans, repairs a bad JSON output and completes', async () => {
    const example = await import('../docs/examples/team-run.js');
    expect(example.summary).toBe('Fly for 129 EUR, sleep at Alfama Inn.');
    expect(example.repairs).toBe(1);
    expect(example.rounds).toBe(1);
  });

  it('team-approval waits for a person across a restart, then books on the shared budget', async () => {
    const example = await import('../docs/examples/team-approval.js');
    expect(example.waiting).toEqual(['trip: awaitingApproval']);
    expect(example.booking).toEqual({ booked: true, total: 319 });
    expect(example.spent).toBe(319);
  });

  it('agents-and-events reports progress, logs and every event', async () => {
    const example = await import('../docs/examples/agents-and-events.js');
    expect(example.lengths).toEqual([17, 18]);
    expect(example.stats.tasks.completed).toBe(2);
    expect(example.seen).toEqual(
      expect.arrayContaining(['task.progress', 'task.log', 'task.completed', 'system.drained']),
    );
  });

  it('observability serves Prometheus metrics over HTTP and keeps a snapshot', async () => {
    const example = await import('../docs/examples/observability.js');
    expect(example.snapshot.tasks).toMatchObject({ submitted: 3, completed: 3 });
    expect(example.snapshot.attempts).toMatchObject({ started: 4, retried: 1 });
    expect(example.exposition).toContain('overseer_tasks_finished_total{outcome="completed"} 3');
    expect(example.exposition).toContain('overseer_task_run_seconds_count 4');
  });

  it('testing-your-agents finds no violation and no double charge', async () => {
    const example = await import('../docs/examples/testing-your-agents.js');
    expect(example.violations).toEqual([]);
    expect(example.doubleCharges).toBe(0);
    expect(example.completedCount).toBe(20);
  });
});
