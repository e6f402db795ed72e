// A client's feed of the cluster's tasks' progress, as the leader relays it
// (progress-relay.ts): a connection listens on the progress topic only while someone
// subscribes, so a client that never asks pays nothing. Progress is a gauge: each notice
// carries each task's latest report; notices sent while nobody listened are gone.
import type { Pool } from 'pg';
import { callListener, type ListenerFaultReport } from '../core/listener-faults.js';
import { PROGRESS_TOPIC } from '../store/postgres/notify-names.js';
import { listenFor, type TopicListener } from './topic-listener.js';

/** A task's latest progress, as its agent reported it to the leader. */
export interface TaskProgress {
  readonly taskId: string;
  /** In [0, 1]. */
  readonly progress: number;
  /** The agent running it. */
  readonly agentId: string;
  /** The report's note, cut to 500 characters. */
  readonly note?: string;
}

/** Longest wait between two tries to listen, in ms. */
const MAX_BACKOFF_MS = 2_000;

export class ProgressFeed {
  readonly #listeners = new Set<(progress: TaskProgress) => void>();
  #listener: TopicListener | undefined;
  #starting = false;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly faults: ListenerFaultReport,
  ) {}

  /** Calls `listener` with each progress relayed from now on; returns an unsubscribe. */
  add(listener: (progress: TaskProgress) => void): () => void {
    this.#listeners.add(listener);
    this.#start(50);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  #start(wait: number): void {
    if (this.#listener || this.#starting || this.#closed || this.#listeners.size === 0) return;
    this.#starting = true;
    listenFor(this.pool, this.schema, PROGRESS_TOPIC, (n) => this.#heard(n.payload)).then(
      (listener) => {
        this.#starting = false;
        this.#listener = listener;
        if (this.#closed || this.#listeners.size === 0) this.#stop();
      },
      () => {
        // The database is away: try again, backing off, while someone listens.
        this.#starting = false;
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.#start(Math.min(wait * 2, MAX_BACKOFF_MS));
        }, wait);
        this.#retry.unref();
      },
    );
  }

  #stop(): void {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#listener?.drop();
    this.#listener = undefined;
  }

  #heard(payload: string | undefined): void {
    if (!payload || this.#listeners.size === 0) return;
    const entries = JSON.parse(payload) as [string, number, string, string?][];
    for (const [taskId, progress, agentId, note] of entries) {
      const event: TaskProgress =
        note === undefined ? { taskId, progress, agentId } : { taskId, progress, agentId, note };
      for (const listener of this.#listeners)
        callListener(listener, event, 'onProgress', this.faults);
    }
  }
}
