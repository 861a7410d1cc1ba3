// Replaying recorded Messages API responses: a small HTTP server on 127.0.0.1 that the real Anthropic SDK talks to
// (createAnthropicModel({ baseURL: server.url })). Before each case the runner hands it that case's recording; each
// POST /v1/messages then gets the next recorded response, byte for byte. So `--model replay` runs the same code path
// as `--model anthropic` (request building, the SDK, retries, response reading, the repair round), without a key or
// a network. A request beyond the recording gets an error the SDK does not retry, and the runner reports the case.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RecordedResponse, responseText } from './recordings.js';

export interface ReplayServer {
  /** The base URL for the SDK: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Serves these responses, in order, to the next requests (one case's recording). */
  serve(responses: readonly RecordedResponse[]): void;
  /** Responses served since the last serve(). */
  readonly served: number;
  /** Requests since the last serve() that found no recorded response left. */
  readonly overrun: number;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let queue: RecordedResponse[] = [];
  let served = 0;
  let overrun = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, { 'x-should-retry': 'false' }, apiError('api_error', 'replay failed'));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The request body is read and dropped: the recording, not the request, decides the answer.
    await drain(request);
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'POST' || path !== '/v1/messages') {
      send(
        response,
        404,
        { 'x-should-retry': 'false' },
        apiError(
          'not_found_error',
          `The replay server only answers POST /v1/messages, not ${request.method} ${path}.`,
        ),
      );
      return;
    }
    const next = queue.shift();
    if (!next) {
      overrun += 1;
      send(
        response,
        400,
        { 'x-should-retry': 'false' },
        apiError(
          'invalid_request_error',
          `replay: the recording has no response left for this request (it holds ${served}); record the case again.`,
        ),
      );
      return;
    }
    served += 1;
    send(response, next.status, next.headers, responseText(next));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve(responses) {
      queue = [...responses];
      served = 0;
      overrun = 0;
    },
    get served() {
      return served;
    },
    get overrun() {
      return overrun;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function apiError(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_replay' });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    request.on('data', () => {});
    request.on('end', resolve);
    request.on('error', reject);
  });
}
