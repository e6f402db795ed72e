// A chat completions endpoint on loopback (POST /v1/chat/completions), speaking just enough
// of the wire format for the `openai` client: it records each request body and answers with
// the content a test gives, or holds the request open to be aborted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to answer a request with: the assistant's content, or `hang` (never answer). */
export type ChatReply = { content: string; finishReason?: string } | 'hang';

export interface ChatServer {
  /** For the client: `http://127.0.0.1:<port>/v1`. */
  readonly baseURL: string;
  /** Each request's JSON body, in order. */
  readonly requests: Record<string, unknown>[];
  /** Resolves when a request the server holds open is closed by the client. */
  readonly hungUp: Promise<void>;
  close(): Promise<void>;
}

export async function startChatServer(
  reply: (body: Record<string, unknown>) => ChatReply,
): Promise<ChatServer> {
  const requests: Record<string, unknown>[] = [];
  let hangUp = () => {};
  const hungUp = new Promise<void>((resolve) => {
    hangUp = resolve;
  });
  const server = createServer((req, res) => {
    void answer(req, res);
  });
  async function answer(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    requests.push(body);
    const answer = reply(body);
    if (answer === 'hang') {
      res.on('close', () => hangUp());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion(String(body.model), answer)));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    hungUp,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function completion(model: string, answer: { content: string; finishReason?: string }) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content, refusal: null },
        finish_reason: answer.finishReason ?? 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}
