// The live feed: server-sent events to every open page. Events are never forwarded one by
// one; once per feed interval the hub sends one update with what changed (coalesced), so
// 10k events a second cost a page the same few messages a second as ten. A page whose
// socket falls behind (over a megabyte unsent) skips updates until it caught up, then
// gets a whole frame at the next interval: at most one message per interval, always.
import type { ServerResponse } from 'node:http';
import type { Frame, FrameSource } from './dashboard-model.js';

interface Client {
  readonly res: ServerResponse;
  /** It skipped an update (its socket fell behind): its next message is a whole frame. */
  stale: boolean;
}

/** Unsent bytes a page may have queued before it skips updates. */
const BEHIND_BYTES = 1 << 20;

export class FeedHub {
  readonly #clients = new Set<Client>();
  readonly #timer: ReturnType<typeof setInterval>;
  #sent = 0;

  constructor(
    private readonly model: FrameSource,
    intervalMs: number,
  ) {
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  /** Messages sent so far, to all pages together (for the bench and tests). */
  get messagesSent(): number {
    return this.#sent;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Opens the event stream on `res` and sends it the whole frame. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const client: Client = { res, stale: false };
    this.#clients.add(client);
    res.on('close', () => this.#clients.delete(client));
    this.#write(client, message('full', this.model.full()));
  }

  /** One update to every page (the interval calls it; tests may too). */
  flush(): void {
    if (this.#clients.size === 0) {
      this.model.sampleOnly();
      return;
    }
    const data = message('update', this.model.update());
    let full: string | undefined;
    for (const client of this.#clients) {
      if (client.res.writableLength > BEHIND_BYTES) client.stale = true;
      else if (!client.stale) this.#write(client, data);
      else {
        full ??= message('full', this.model.full());
        client.stale = false;
        this.#write(client, full);
      }
    }
  }

  close(): void {
    clearInterval(this.#timer);
    for (const { res } of this.#clients) res.end();
    this.#clients.clear();
  }

  #write(client: Client, data: string): void {
    this.#sent++;
    client.res.write(data);
  }
}

function message(kind: 'full' | 'update', frame: Frame): string {
  return `event: ${kind}\ndata: ${JSON.stringify(frame)}\n\n`;
}
