import { type PrometheusExporter, prometheusMetrics } from 'overseer/prometheus';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { InvalidExporterOptions } from '../../src/index.js';
import { advanceClock } from '../support/system-harness.js';
import { metricsScenario } from './metrics-scenario.js';

describe('overseer/prometheus', () => {
  it('exposes queue depth by state and class, and agents, at scrape time', async () => {
    let exporter: PrometheusExporter | undefined;
    await metricsScenario(200, (system) => (exporter = prometheusMetrics(system)));
    const text = (await exporter?.metrics()) ?? '';
    expect(text).toContain('# TYPE overseer_tasks gauge');
    expect(text).toContain('overseer_tasks{state="running"} 1');
    expect(text).toContain('overseer_tasks{state="ready"} 1');
    expect(text).toContain('overseer_tasks{state="blocked"} 0');
    expect(text).toContain('overseer_tasks_by_class{qos="default"} 2');
    expect(text).not.toContain('qos="batch"');
    expect(text).toContain('overseer_agents{state="busy"} 1');
    // Known agent states are reported at 0, so their series do not come and go.
    expect(text).toContain('overseer_agents{state="idle"} 0');
    expect(text).toContain('overseer_agents{state="unresponsive"} 0');
    expect(exporter?.contentType).toContain('text/plain');
  });

  it('counts outcomes, attempts and retries, and fills the histograms in seconds', async () => {
    let exporter: PrometheusExporter | undefined;
    await metricsScenario(1_000, (system) => (exporter = prometheusMetrics(system)));
    const text = (await exporter?.metrics()) ?? '';
    expect(text).toContain('# TYPE overseer_tasks_finished_total counter');
    expect(text).toContain('overseer_tasks_finished_total{outcome="completed"} 3');
    expect(text).toContain('overseer_tasks_finished_total{outcome="failed"} 0');
    expect(text).toContain('overseer_tasks_submitted_total 3');
    expect(text).toContain('overseer_task_attempts_total 4');
    expect(text).toContain('overseer_task_retries_total 1');
    expect(text).toContain('overseer_agent_restarts_total 0');
    expect(text).toContain('overseer_supervisor_escalations_total 0');
    expect(text).toContain('overseer_task_run_seconds_bucket{le="0.05"} 2');
    expect(text).toContain('overseer_task_run_seconds_bucket{le="0.1"} 3');
    expect(text).toContain('overseer_task_run_seconds_count 4');
    expect(text).toContain('overseer_task_run_seconds_sum 0.5');
    expect(text).toContain('overseer_task_submit_to_start_seconds_count 3');
    expect(text).toContain('# TYPE overseer_task_run_seconds histogram');
    expect(text).toContain('overseer_tasks_finished_by_attempts_total{attempts="1"} 2');
    expect(text).toContain('overseer_tasks_finished_by_attempts_total{attempts="2"} 1');
  });

  it('keeps reporting a QoS class it has seen, at 0 once its tasks are done', async () => {
    let exporter: PrometheusExporter | undefined;
    const { clock } = await metricsScenario(0, (system) => (exporter = prometheusMetrics(system)));
    expect(await exporter?.metrics()).toContain('overseer_tasks_by_class{qos="batch"} 1');
    await advanceClock(clock, 1_000);
    const text = (await exporter?.metrics()) ?? '';
    expect(text).toContain('overseer_tasks_by_class{qos="batch"} 0');
    expect(text).toContain('overseer_tasks_by_class{qos="default"} 0');
  });

  it('puts fixed labels on every series, so two systems can share a scrape', async () => {
    const registry = new Registry();
    await metricsScenario(1_000, (system) =>
      prometheusMetrics(system, { registry, prefix: 'a_', labels: { system: 'thumbs' } }),
    );
    const text = await registry.metrics();
    expect(text).toContain('a_tasks{system="thumbs",state="ready"} 0');
    expect(text).toContain('a_tasks_submitted_total{system="thumbs"} 3');
    expect(text).toContain('a_tasks_finished_total{system="thumbs",outcome="completed"} 3');
    expect(text).toContain('a_task_run_seconds_bucket{le="0.05",system="thumbs"} 2');
    expect(text).toContain('a_task_run_seconds_count{system="thumbs"} 4');
  });

  it('labels latencies by task type on request, in a registry and prefix of choice', async () => {
    const registry = new Registry();
    await metricsScenario(1_000, (system) =>
      prometheusMetrics(system, { registry, prefix: 'jobs_', byTaskType: true }),
    );
    const text = await registry.metrics();
    expect(text).toContain('jobs_task_run_seconds_count{type="train"} 1');
    expect(text).toContain('jobs_task_run_seconds_count{type="resize"} 3');
    expect(text).not.toContain('overseer_');
  });

  it('stops feeding and unregisters on close', async () => {
    const registry = new Registry();
    const { system, clock } = await metricsScenario(0, (s) => {
      prometheusMetrics(s, { registry }).close();
    });
    await advanceClock(clock, 1_000);
    expect(await registry.metrics()).toBe('\n');
    expect(() => prometheusMetrics(system, { registry })).not.toThrow();
  });

  it('refuses names a registry already holds, and close() removes only its own', async () => {
    const registry = new Registry();
    const { system } = await metricsScenario(0);
    const first = prometheusMetrics(system, { registry });
    expect(() => prometheusMetrics(system, { registry })).toThrow(
      /registry.*already holds overseer_tasks/,
    );
    expect(() => prometheusMetrics(system, { registry, prefix: 'other_' })).not.toThrow();
    first.close();
    const second = prometheusMetrics(system, { registry });
    first.close();
    expect(await second.metrics()).toContain('overseer_tasks_submitted_total 3');
  });

  it.each([
    [{ labels: { 'bad-name': 'x' } }, 'labels.bad-name', /label name/],
    [{ labels: { __reserved: 'x' } }, 'labels.__reserved', /no leading __/],
    [{ labels: { state: 'x' } }, 'labels.state', /taken by the exporter/],
    [{ labels: { system: 1 } }, 'labels.system', /expected a string, got number/],
    [{ labels: 'system=a' }, 'labels', /expected an object/],
    [{ registry: {} }, 'registry', /prom-client Registry/],
    [{ byTaskType: 'yes' }, 'byTaskType', /boolean/],
    [{ prefix: 7 }, 'prefix', /got number/],
  ])('rejects options %j as InvalidExporterOptions naming %s', async (options, field, problem) => {
    const { system } = await metricsScenario(0);
    let error: unknown;
    try {
      prometheusMetrics(system, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidExporterOptions);
    expect(error).toMatchObject({ code: 'InvalidExporterOptions', field });
    expect((error as Error).message).toMatch(problem);
  });

  it('rejects a prefix Prometheus would not accept, and a non-system, naming the field', async () => {
    const { system } = await metricsScenario(0);
    expect(() => prometheusMetrics(system, { prefix: 'bad-prefix' })).toThrow(
      InvalidExporterOptions,
    );
    expect(() => prometheusMetrics(system, { prefix: 'bad-prefix' })).toThrow(/prefix/);
    expect(() => prometheusMetrics({} as never)).toThrow(/system/);
  });
});
