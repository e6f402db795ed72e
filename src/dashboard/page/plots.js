// The plots (uPlot, served from the package): throughput, submit-to-start and run latency
// percentiles, queue depth, and each QoS class's attainment, over the system clock.
import uPlot from '/vendor/uPlot.esm.js';
import { h } from './element.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const PLOTS = [
  {
    id: 'throughput',
    title: 'throughput (tasks/s)',
    series: [['finished/s', (p) => p.throughput]],
  },
  {
    id: 'wait',
    title: 'submit to start (ms)',
    series: [
      ['p50', (p) => p.submitToStartP50],
      ['p99', (p) => p.submitToStartP99],
    ],
  },
  {
    id: 'run',
    title: 'run time (ms)',
    series: [
      ['p50', (p) => p.runP50],
      ['p99', (p) => p.runP99],
    ],
  },
  {
    id: 'queue',
    title: 'queue depth',
    series: [
      ['unfinished', (p) => p.queueDepth],
      ['ready', (p) => p.ready],
      ['running', (p) => p.running],
    ],
  },
];

export class Plots {
  #charts = new Map();
  #classes = '';

  constructor(container) {
    this.container = container;
  }

  render(points) {
    const classes = Object.keys(points.at(-1)?.attainment ?? {});
    const specs = [...PLOTS];
    if (classes.length)
      specs.push({
        id: 'slo',
        title: 'SLO attainment (on time / finished)',
        series: classes.map((c) => [c, (p) => p.attainment[c] ?? null]),
      });
    if (classes.join() !== this.#classes) {
      this.#charts.get('slo')?.destroy();
      this.#charts.delete('slo');
      this.#classes = classes.join();
    }
    const xs = points.map((p) => p.at / 1000);
    for (const spec of specs) {
      const data = [xs, ...spec.series.map(([, get]) => points.map(get))];
      const chart = this.#charts.get(spec.id) ?? this.#create(spec, data);
      chart.setData(data);
    }
  }

  #create(spec, data) {
    const box = h(
      'figure',
      { class: 'plot', dataset: { testid: `plot-${spec.id}` } },
      h('figcaption', {}, spec.title),
    );
    this.container.append(box);
    const chart = new uPlot(
      {
        width: 360,
        height: 170,
        scales: { x: { time: false } },
        axes: [{ label: 'clock (s)' }, {}],
        series: [
          { label: 's' },
          ...spec.series.map(([label], i) => ({
            label,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            spanGaps: true,
          })),
        ],
        legend: { live: false },
      },
      data,
      box,
    );
    this.#charts.set(spec.id, chart);
    return chart;
  }
}
