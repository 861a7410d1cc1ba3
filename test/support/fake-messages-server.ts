// A local stand-in for the Anthropic Messages API: a real HTTP server on 127.0.0.1 that the real SDK talks to (point
// `baseURL` at `server.url`). It records every request (headers and body, raw and parsed) and answers from a script:
// a queue of replies, or a function of the request. Replies are Messages API responses with tool calls, text,
// refusals, error statuses with their headers (429 with retry-after, 529 overloaded, 401), raw recorded responses
// (for replaying evals), and may be delayed to make the client time out.
//
// Usage is simulated like prompt caching does it: the first request with a given prefix (model, tools, system)
// creates the cache, later ones read it. A reply may give its own usage instead.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** 0 for the first request the server received. */
  index: number;
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely by tests.
  body: any;
}

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type FakeContentBlock =
  | { type: 'tool_use'; name: string; input: unknown; id?: string }
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string };

export type FakeReply = (
  | {
      type: 'message';
      content: FakeContentBlock[];
      /** Default: tool_use when the content holds a tool call, else end_turn. */
      stopReason?: 'tool_use' | 'end_turn' | 'max_tokens' | 'refusal' | 'stop_sequence';
      usage?: FakeUsage;
      /** Default: the model of the request. */
      model?: string;
    }
  | {
      type: 'error';
      status: number;
      /** The API's error type: rate_limit_error, overloaded_error, authentication_error, invalid_request_error... */
      errorType: string;
      message: string;
      headers?: Record<string, string>;
    }
  | {
      /** Exactly this status, headers and body: a recorded response, replayed. */
      type: 'raw';
      status: number;
      body: string;
      headers?: Record<string, string>;
    }
) & {
  /** Wait this long before answering (a client that times out first abandons the request). */
  delayMs?: number;
};

export type FakeScript = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeMessagesServer {
  /** The base URL for the SDK: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Requests to POST /v1/messages only. */
  readonly messageRequests: RecordedRequest[];
  /** Adds replies to the queue (used when no script function is set). */
  enqueue(...replies: FakeReply[]): void;
  /** Replaces the queue by a function of the request. */
  respondWith(script: FakeScript): void;
  close(): Promise<void>;
}

export interface FakeMessagesServerOptions {
  replies?: FakeReply[];
  script?: FakeScript;
}

export async function startFakeMessagesServer(
  options: FakeMessagesServerOptions = {},
): Promise<FakeMessagesServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [...(options.replies ?? [])];
  let script: FakeScript | undefined = options.script;
  const cachedPrefixes = new Set<string>();
  let messageCount = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(
          response,
          500,
          { 'x-should-retry': 'false' },
          errorBody('api_error', `fake server: ${String(error)}`),
        );
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const recorded: RecordedRequest = {
      index: requests.length,
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0] ?? '/',
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      rawBody,
      body: parseJson(rawBody),
    };
    requests.push(recorded);
    if (recorded.method !== 'POST' || recorded.path !== '/v1/messages') {
      send(
        response,
        404,
        { 'x-should-retry': 'false' },
        errorBody('not_found_error', `fake server: no ${recorded.method} ${recorded.path}`),
      );
      return;
    }
    const reply = script ? await script(recorded) : queue.shift();
    if (!reply) {
      send(
        response,
        400,
        { 'x-should-retry': 'false' },
        errorBody('invalid_request_error', `fake server: no scripted reply for request #${recorded.index}`),
      );
      return;
    }
    if (reply.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (response.destroyed || request.destroyed) return;
    }
    messageCount += 1;
    switch (reply.type) {
      case 'raw':
        send(response, reply.status, reply.headers ?? {}, reply.body);
        return;
      case 'error':
        send(response, reply.status, reply.headers ?? {}, errorBody(reply.errorType, reply.message));
        return;
      case 'message':
        send(response, 200, {}, JSON.stringify(messageBody(reply, recorded, messageCount, cachedPrefixes)));
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get messageRequests() {
      return requests.filter((request) => request.path === '/v1/messages');
    },
    enqueue: (...replies) => {
      script = undefined;
      queue.push(...replies);
    },
    respondWith: (next) => {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Replies a test writes often.

export function toolCall(
  name: string,
  input: unknown,
  extra: { usage?: FakeUsage; delayMs?: number } = {},
): FakeReply {
  return { type: 'message', content: [{ type: 'tool_use', name, input }], ...extra };
}

export function textAnswer(text: string): FakeReply {
  return { type: 'message', content: [{ type: 'text', text }], stopReason: 'end_turn' };
}

export function rateLimited(retryAfterSeconds = 1, retryAfterMs = 5): FakeReply {
  return {
    type: 'error',
    status: 429,
    errorType: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your per-minute rate limit.',
    headers: { 'retry-after': String(retryAfterSeconds), 'retry-after-ms': String(retryAfterMs) },
  };
}

export function overloaded(retryAfterMs = 5): FakeReply {
  return {
    type: 'error',
    status: 529,
    errorType: 'overloaded_error',
    message: 'Overloaded',
    headers: { 'retry-after-ms': String(retryAfterMs) },
  };
}

export function unauthorized(message = 'invalid x-api-key'): FakeReply {
  return { type: 'error', status: 401, errorType: 'authentication_error', message };
}

// The wire format.

function messageBody(
  reply: Extract<FakeReply, { type: 'message' }>,
  request: RecordedRequest,
  count: number,
  cachedPrefixes: Set<string>,
): Record<string, unknown> {
  let toolIndex = 0;
  const content = reply.content.map((block) =>
    block.type === 'tool_use'
      ? {
          type: 'tool_use',
          id: block.id ?? `toolu_fake_${count}_${toolIndex++}`,
          name: block.name,
          input: block.input,
        }
      : block.type === 'text'
        ? { type: 'text', text: block.text, citations: null }
        : block,
  );
  const hasToolCall = content.some((block) => block.type === 'tool_use');
  return {
    id: `msg_fake_${count}`,
    type: 'message',
    role: 'assistant',
    model: reply.model ?? request.body?.model ?? 'claude-fake',
    content,
    stop_reason: reply.stopReason ?? (hasToolCall ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageFor(reply.usage, request, cachedPrefixes),
  };
}

/** Token counts as prompt caching reports them: a prefix seen before is read from the cache. */
function usageFor(given: FakeUsage | undefined, request: RecordedRequest, cachedPrefixes: Set<string>) {
  const body = request.body ?? {};
  const prefix = JSON.stringify({ model: body.model, tools: body.tools, system: body.system });
  const prefixTokens = Math.ceil(prefix.length / 4);
  const key = createHash('sha256').update(prefix).digest('hex');
  const cached = cachedPrefixes.has(key);
  cachedPrefixes.add(key);
  const usage = {
    input_tokens: given?.input_tokens ?? Math.ceil(JSON.stringify(body.messages ?? []).length / 4),
    output_tokens: given?.output_tokens ?? 40,
    cache_creation_input_tokens: given?.cache_creation_input_tokens ?? (cached ? 0 : prefixTokens),
    cache_read_input_tokens: given?.cache_read_input_tokens ?? (cached ? prefixTokens : 0),
  };
  return {
    ...usage,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake' });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    'content-type': 'application/json',
    'request-id': 'req_fake',
    ...headers,
  });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
