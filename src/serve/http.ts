// `conductor serve --http PORT`: Conductor's MCP server over Streamable HTTP, for clients that cannot spawn a process.
// Conductor can change real infrastructure, so the endpoint is deliberately narrow:
//   - it listens on 127.0.0.1 only, never on a public or wildcard address;
//   - every request must carry the bearer token from $CONDUCTOR_HOME/serve-token, checked before anything else;
//   - a Host or Origin that is not this machine is refused, so a web page cannot reach it through DNS rebinding.
// Each client gets its own session (its own McpServer and transport), routed by the `mcp-session-id` header. Refusals
// are JSON-RPC-shaped errors whose message says how to fix the request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { tokenMatches } from './token.js';

const LOOPBACK = '127.0.0.1';
const ENDPOINT = '/mcp';
const MAXIMUM_BODY_BYTES = 4 * 1024 * 1024;
const TOKEN_HELP =
  'Send the token from $CONDUCTOR_HOME/serve-token (default ~/.conductor/serve-token) as the header `Authorization: Bearer <token>`.';

export interface HttpServeOptions {
  /** 0 picks a free port. */
  port: number;
  token: string;
  /** A fresh MCP server per client session (the SDK's McpServer). */
  createServer: () => McpServer;
  /** Diagnostics (default: nothing). The token is never logged. */
  log?: (line: string) => void;
  /** A session with no request open (an SSE stream counts) for this long is closed. Default 30 minutes. */
  idleTimeoutMs?: number;
}

export interface HttpServeHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:8123/mcp. */
  url: string;
  /** The address the socket is bound to, read back from it: always 127.0.0.1. */
  host: string;
  port: number;
  /** Ends every session and the listener; open connections are cut rather than waited for. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Requests in progress (a client's open SSE stream is one). */
  open: number;
  lastSeen: number;
}

/** A request answered before it reaches MCP: the HTTP status and a JSON-RPC error that explains it. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

export async function startHttpServe(options: HttpServeOptions): Promise<HttpServeHandle> {
  const log = options.log ?? (() => {});
  const sessions = new Map<string, Session>();
  let port = options.port;

  const httpServer = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answerFailure(request, response, error));
  });

  /** Every failure ends the request with a JSON-RPC error (or ends a response already under way); none escapes. */
  function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const refused = error instanceof HttpRefusal;
    const refusal = refused
      ? error
      : new HttpRefusal(500, -32603, 'Internal server error; see the server log.');
    const reason = refused
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    log(`conductor serve: refused ${request.method} ${request.url} (${refusal.status}): ${reason}`);
    if (response.headersSent) response.end();
    else sendError(response, refusal);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    checkAccess(request, options.token, port);
    if (new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname !== ENDPOINT)
      throw new HttpRefusal(404, -32601, `Not found: the MCP endpoint is ${ENDPOINT}.`);

    switch (request.method) {
      case 'POST': {
        const body = await readJsonBody(request);
        const sessionId = sessionIdOf(request);
        if (sessionId !== undefined) return handleInSession(findSession(sessionId), request, response, body);
        if (!isInitialize(body))
          throw new HttpRefusal(
            400,
            -32000,
            'Bad Request: no mcp-session-id header. Start a session with an initialize request, then send its id.',
          );
        return openSession(request, response, body);
      }
      case 'GET':
      case 'DELETE': {
        const sessionId = sessionIdOf(request);
        if (sessionId === undefined)
          throw new HttpRefusal(
            400,
            -32000,
            `Bad Request: ${request.method} needs an mcp-session-id header.`,
          );
        return handleInSession(findSession(sessionId), request, response);
      }
      default:
        throw new HttpRefusal(405, -32000, `Method ${request.method} not allowed; use POST, GET or DELETE.`, {
          Allow: 'GET, POST, DELETE',
        });
    }
  }

  /** Passes a request to its session, counting it as open until its response ends. */
  function handleInSession(
    session: Session,
    request: IncomingMessage,
    response: ServerResponse,
    body?: unknown,
  ): Promise<void> {
    session.open++;
    session.lastSeen = Date.now();
    response.once('close', () => {
      session.open--;
      session.lastSeen = Date.now();
    });
    return session.transport.handleRequest(request, response, body);
  }

  // Clients that vanish without ending their session (a closed laptop) would otherwise keep a server each forever.
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60 * 1000;
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [sessionId, session] of sessions)
        if (session.open === 0 && now - session.lastSeen > idleTimeoutMs) {
          log(
            `conductor serve: session ${sessionId} idle for ${Math.round(idleTimeoutMs / 1000)} s, closing it`,
          );
          void session.transport.close().catch(() => undefined);
        }
    },
    Math.max(50, Math.min(60_000, Math.floor(idleTimeoutMs / 4))),
  );
  sweeper.unref();

  function findSession(sessionId: string): Session {
    const session = sessions.get(sessionId);
    if (session === undefined)
      throw new HttpRefusal(
        404,
        -32001,
        'Session not found: it ended or never existed. Start a new session.',
      );
    return session;
  }

  async function openSession(
    request: IncomingMessage,
    response: ServerResponse,
    body: unknown,
  ): Promise<void> {
    const server = options.createServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Stored as soon as the id exists, before the initialize response goes out, so the client's next request finds it.
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, server, open: 0, lastSeen: Date.now() });
        log(`conductor serve: session ${sessionId} opened (${sessions.size} open)`);
      },
    });
    // Set before connect: the server chains its own close handling after this one.
    transport.onclose = () => {
      const sessionId = transport.sessionId;
      if (sessionId !== undefined && sessions.delete(sessionId))
        log(`conductor serve: session ${sessionId} closed (${sessions.size} open)`);
      server
        .close()
        .catch((error: unknown) => log(`closing the MCP server of session ${sessionId}: ${error}`));
    };
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
    // The transport refused the initialize request (wrong Accept header, invalid message): nothing can reach it again.
    if (transport.sessionId === undefined) await transport.close();
  }

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      clearInterval(sweeper);
      reject(error);
    };
    httpServer.once('error', failed);
    httpServer.listen(options.port, LOOPBACK, () => {
      httpServer.off('error', failed);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  port = address.port;
  const url = `http://${LOOPBACK}:${port}${ENDPOINT}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    host: address.address,
    port,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        await Promise.allSettled([...sessions.values()].map((session) => session.transport.close()));
        await new Promise<void>((resolve, reject) => {
          httpServer.close((error) => (error ? reject(error) : resolve()));
          // Keep-alive and streaming connections would otherwise hold close() open.
          httpServer.closeAllConnections();
        });
        log('conductor serve: stopped');
      })();
      return closing;
    },
  };
}

/** Authentication first, then the DNS-rebinding checks; throws the refusal. */
function checkAccess(request: IncomingMessage, token: string, port: number): void {
  const presented = bearerToken(request.headers.authorization);
  if (presented === undefined)
    throw new HttpRefusal(401, -32001, `Unauthorized: this server requires a bearer token. ${TOKEN_HELP}`, {
      'WWW-Authenticate': 'Bearer realm="conductor"',
    });
  if (!tokenMatches(token, presented))
    throw new HttpRefusal(
      401,
      -32001,
      `Unauthorized: the bearer token does not match. ${TOKEN_HELP} It changes only when that file is deleted.`,
      { 'WWW-Authenticate': 'Bearer realm="conductor", error="invalid_token"' },
    );

  const host = request.headers.host?.toLowerCase();
  if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`)
    throw new HttpRefusal(
      403,
      -32000,
      `Forbidden: Host "${host ?? ''}" is not this server; connect to ${LOOPBACK}:${port} or localhost:${port}.`,
    );
  const origin = request.headers.origin;
  if (origin !== undefined && !isLocalOrigin(origin))
    throw new HttpRefusal(
      403,
      -32000,
      `Forbidden: requests from origin "${origin}" are not accepted; only local ones.`,
    );
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

function isLocalOrigin(origin: string): boolean {
  try {
    const hostname = new URL(origin).hostname;
    return hostname === 'localhost' || hostname === LOOPBACK;
  } catch {
    return false;
  }
}

function sessionIdOf(request: IncomingMessage): string | undefined {
  const value = request.headers['mcp-session-id'];
  return Array.isArray(value) ? value[0] : value;
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body)
    ? body.some((message) => isInitializeRequest(message))
    : isInitializeRequest(body);
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const tooLarge = new HttpRefusal(413, -32600, `Request body larger than ${MAXIMUM_BODY_BYTES} bytes.`, {
    Connection: 'close',
  });
  if (Number(request.headers['content-length'] ?? 0) > MAXIMUM_BODY_BYTES) throw tooLarge;

  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAXIMUM_BODY_BYTES) return void chunks.push(chunk);
      // Stop keeping the rest; the response closes the connection.
      request.off('data', collect);
      reject(tooLarge);
    };
    request.on('data', collect);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpRefusal(400, -32700, 'Parse error: the request body is not valid JSON.');
  }
}

function sendError(response: ServerResponse, refusal: HttpRefusal): void {
  response.writeHead(refusal.status, { 'Content-Type': 'application/json', ...refusal.headers });
  response.end(
    JSON.stringify({ jsonrpc: '2.0', error: { code: refusal.code, message: refusal.message }, id: null }),
  );
}
