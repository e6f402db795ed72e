// The options of `prometheusMetrics`, each with its default, and their validation: a bad
// option is an InvalidExporterOptions naming it, before anything is registered.
import type { Registry } from 'prom-client';
import { InvalidExporterOptions } from '../errors/index.js';

export interface PrometheusOptions {
  /** Registry to register with. Default: a new one (prom-client's global registry is not touched). */
  readonly registry?: Registry;
  /**
   * Prefix of every metric name, e.g. `overseer_tasks`. Default `overseer_`. Must keep the
   * names valid Prometheus names (`[a-zA-Z_:][a-zA-Z0-9_:]*`); `''` is allowed.
   */
  readonly prefix?: string;
  /**
   * Labels with fixed values on every series, e.g. `{ system: 'thumbnails' }`, to tell
   * systems apart in one scrape. Default none. The names `state`, `qos`, `outcome`,
   * `attempts`, `type`, `reason`, `mode`, `quantile`, `agent` and `le` are taken by the
   * metrics themselves.
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Label the latency histograms with the task type. Default false (types can be many). */
  readonly byTaskType?: boolean;
}

export interface ResolvedPrometheusOptions {
  readonly registry: Registry | undefined;
  readonly prefix: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly byTaskType: boolean;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Label names the exporter's own metrics use, or Prometheus reserves. */
export const OWN_LABELS: readonly string[] = [
  'state',
  'qos',
  'outcome',
  'attempts',
  'type',
  'reason',
  'mode',
  'quantile',
  'agent',
  'le',
];

export function resolvePrometheusOptions(options: unknown): ResolvedPrometheusOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidExporterOptions('options', `expected an object, got ${describe(options)}`);
  const {
    registry,
    prefix = 'overseer_',
    labels = {},
    byTaskType = false,
  } = options as Record<string, unknown>;
  return {
    registry: registryOf(registry),
    prefix: prefixOf(prefix),
    labels: labelsOf(labels),
    byTaskType: flagOf(byTaskType),
  };
}

function registryOf(registry: unknown): Registry | undefined {
  if (registry === undefined) return undefined;
  const r = registry as Partial<Record<string, unknown>> | null;
  // Duck-typed, so a registry from another copy of prom-client works too.
  if (typeof r?.registerMetric !== 'function' || typeof r.getSingleMetric !== 'function')
    throw new InvalidExporterOptions(
      'registry',
      `expected a prom-client Registry, got ${describe(registry)}`,
    );
  return registry as Registry;
}

function prefixOf(prefix: unknown): string {
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix)))
    throw new InvalidExporterOptions(
      'prefix',
      `must be '' or match ${METRIC_NAME.source} (a Prometheus metric name), got ${describe(prefix)}`,
    );
  return prefix;
}

function labelsOf(labels: unknown): Record<string, string> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels))
    throw new InvalidExporterOptions('labels', `expected an object, got ${describe(labels)}`);
  for (const [name, value] of Object.entries(labels)) {
    const field = `labels.${name}`;
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      throw new InvalidExporterOptions(
        field,
        `is not a Prometheus label name (${LABEL_NAME.source}, no leading __)`,
      );
    if (OWN_LABELS.includes(name))
      throw new InvalidExporterOptions(field, `is taken by the exporter's own metrics`);
    if (typeof value !== 'string')
      throw new InvalidExporterOptions(field, `expected a string, got ${describe(value)}`);
  }
  return { ...(labels as Record<string, string>) };
}

function flagOf(byTaskType: unknown): boolean {
  if (typeof byTaskType !== 'boolean')
    throw new InvalidExporterOptions(
      'byTaskType',
      `expected a boolean, got ${describe(byTaskType)}`,
    );
  return byTaskType;
}

const describe = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value;
