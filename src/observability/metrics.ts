// The metrics a system keeps about itself, read with `system.metrics()`. STUB: filled in
// by the metrics work.
import type { Runtime } from '../system/runtime.js';

// biome-ignore lint/complexity/noBannedTypes: stub, replaced by the metrics work
export type MetricsSnapshot = {};

export interface MetricsCollector {
  snapshot(): MetricsSnapshot;
}

export function collectMetrics(_rt: Runtime): MetricsCollector {
  return { snapshot: () => ({}) };
}
