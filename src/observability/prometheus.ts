// `overseer/prometheus`: a system's metrics in Prometheus exposition format through
// prom-client. STUB: filled in by the metrics work.
export {};
