// The page's copy of what the server knows: the last frame, the recent tasks by id, the
// event log and the plot points, merged from the feed's whole frames and updates (an
// update may repeat what a whole frame just gave: log entries and points are kept once).

const MAX_TASKS = 500;
const MAX_LOG = 500;
const MAX_POINTS = 1200;

export class FeedState {
  frame = undefined;
  /** @type {Map<string, object>} recent task rows by id, oldest first */
  tasks = new Map();
  log = [];
  points = [];
  updates = 0;

  /** A whole frame: everything replaced. */
  full(frame) {
    this.frame = frame;
    this.tasks = new Map([...frame.recent].reverse().map((row) => [row.id, row]));
    this.log = frame.log.slice(-MAX_LOG);
    this.points = frame.points.slice(-MAX_POINTS);
    this.updates++;
  }

  /** An update: the newest figures, and new or changed tasks, log entries and points. */
  update(frame) {
    this.frame = frame;
    for (const row of frame.recent) {
      this.tasks.delete(row.id);
      this.tasks.set(row.id, row);
    }
    while (this.tasks.size > MAX_TASKS) this.tasks.delete(this.tasks.keys().next().value);
    const lastSeq = this.log.at(-1)?.seq ?? 0;
    this.log.push(...frame.log.filter((entry) => entry.seq > lastSeq));
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    const lastAt = this.points.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
    this.points.push(...frame.points.filter((point) => point.at > lastAt));
    if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
    this.updates++;
  }
}

/**
 * Follows the feed; calls `render` at most once per animation frame, however many
 * messages arrived, so a burst never queues up renders.
 */
export function follow(state, render, onConnection) {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render(state);
    });
  };
  const source = new EventSource('/feed');
  source.addEventListener('full', (e) => {
    state.full(JSON.parse(e.data));
    schedule();
  });
  source.addEventListener('update', (e) => {
    state.update(JSON.parse(e.data));
    schedule();
  });
  source.addEventListener('open', () => onConnection(true));
  source.addEventListener('error', () => onConnection(false));
  return source;
}
