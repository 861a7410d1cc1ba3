// One MCP server, as Conductor talks to it. The only module that imports the SDK's client side.
// - Lazy: nothing starts until the first call needs the server.
// - stdio servers write stderr to `$CONDUCTOR_HOME/logs/<server>.log`; the last lines go into error messages.
// - HTTP servers are tried with Streamable HTTP first and SSE second (older servers speak only SSE).
// - A server that dies is started again on the next call, after a backoff; after several quick failures in a row it is
//   given up on with an error that says so. Failures are ProviderErrors about this server; nothing here throws
//   anything else, and transport errors never become unhandled rejections.
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ProviderError } from '../execute/provider-error.js';
import { abortable } from './abortable.js';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import type { ServerConfig } from './server-config.js';
import { ServerLog } from './server-log.js';
import type { ServerInfo, ToolDescription, ToolResult } from './tool-result.js';

export interface McpConnectionOptions {
  server: ServerConfig;
  /** `$CONDUCTOR_HOME/logs`: where stdio servers' stderr goes. */
  logDirectory: string;
  restart?: RestartPolicyOptions;
  /** How Conductor introduces itself to servers. */
  clientVersion?: string;
  /**
   * How long a server may take to start and answer `initialize` (default: 60 s, or the server's timeout if longer):
   * longer than a call's timeout, since `npx -y some-server` may first download the server.
   */
  startTimeoutMs?: number;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ToolCallOptions {
  /** Default: the server's `timeoutMs`. */
  timeoutMs?: number;
  /** Aborting cancels the call on the server too (a `notifications/cancelled`). */
  signal?: AbortSignal;
  onProgress?: (progress: ToolProgress) => void;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'failed' | 'closed';

/** `http` until a Streamable HTTP server answers; `sse` when the fallback was used. */
export type ConnectedTransport = 'stdio' | 'http' | 'sse';

interface Session {
  client: Client;
  transport: Transport;
  kind: ConnectedTransport;
  closedByConductor: boolean;
  /** Resolves when the process's stderr has ended (stdio only). */
  stderrEnded: Promise<void>;
  tools?: Promise<ToolDescription[]>;
  /** The last transport error, for the message when the connection then closes. */
  lastError?: Error;
}

export class McpConnection {
  readonly name: string;
  readonly config: ServerConfig;
  private readonly log: ServerLog | undefined;
  private readonly restarts: RestartPolicy;
  private readonly clientVersion: string;
  private readonly startTimeoutMs: number;
  private session: Session | undefined;
  private connecting: Promise<Session> | undefined;
  private lastFailure: ProviderError | undefined;
  private closed = false;
  private kind: ConnectedTransport;

  private readonly secrets: readonly string[];

  constructor(options: McpConnectionOptions) {
    this.config = options.server;
    this.secrets = options.server.secrets ?? [];
    this.name = options.server.name;
    this.log =
      options.server.transport.type === 'stdio' ? new ServerLog(options.logDirectory, this.name) : undefined;
    this.restarts = new RestartPolicy(options.restart);
    this.clientVersion = options.clientVersion ?? '0.0.0';
    this.startTimeoutMs = options.startTimeoutMs ?? Math.max(options.server.timeoutMs, 60_000);
    this.kind = options.server.transport.type;
  }

  get state(): ConnectionState {
    if (this.closed) return 'closed';
    if (this.session) return 'connected';
    if (this.connecting) return 'connecting';
    return this.lastFailure ? 'failed' : 'idle';
  }

  /** Why the last start failed or the server last died; cleared by a successful start. */
  get failure(): ProviderError | undefined {
    return this.lastFailure;
  }

  get transport(): ConnectedTransport {
    return this.kind;
  }

  /** The stdio server's process id while it runs. */
  get pid(): number | undefined {
    const transport = this.session?.transport;
    return transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
  }

  get logFile(): string | undefined {
    return this.log?.file;
  }

  /** The last lines the server wrote to stderr. */
  stderrTail(): string[] {
    return (this.log?.tail() ?? []).map((line) => this.mask(line));
  }

  serverInfo(): ServerInfo | undefined {
    const info = this.session?.client.getServerVersion();
    return info ? { name: info.name, version: info.version } : undefined;
  }

  /** Starts (or restarts) the server if it is not running. */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.ensureSession(signal);
  }

  /** Every tool the server offers, asked once per connection (a restarted server is asked again). */
  async listTools(signal?: AbortSignal): Promise<ToolDescription[]> {
    const session = await this.ensureSession(signal);
    session.tools ??= this.fetchTools(session);
    const tools = session.tools;
    tools.catch(() => {
      if (session.tools === tools) session.tools = undefined;
    });
    return await abortable(tools, signal, this.name);
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const session = await this.ensureSession(options.signal);
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    // A child signal per call: the SDK never removes its abort listener, and a caller's signal may outlive many calls.
    const controller = new AbortController();
    const forward = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forward, { once: true });
    if (options.signal?.aborted) forward();
    try {
      const onprogress = options.onProgress;
      const result = await session.client.callTool({ name, arguments: args }, undefined, {
        timeout: timeoutMs,
        signal: controller.signal,
        ...(onprogress
          ? {
              onprogress: (progress: { progress: number; total?: number; message?: string }) =>
                onprogress({ progress: progress.progress, total: progress.total, message: progress.message }),
            }
          : {}),
      });
      return result as ToolResult;
    } catch (error) {
      throw await this.describeCallFailure(error, session, name, timeoutMs, options.signal);
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }

  /** Ends the server process or HTTP session; later calls fail with `connection-closed`. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    if (pending) await pending.catch(() => undefined);
    const session = this.session;
    this.session = undefined;
    if (session) {
      session.closedByConductor = true;
      await session.client.close().catch(() => undefined);
    }
    await this.log?.close();
  }

  private async ensureSession(signal?: AbortSignal): Promise<Session> {
    if (this.closed) {
      throw new ProviderError({
        code: 'connection-closed',
        server: this.name,
        message: `The connection to server "${this.name}" was closed; no more calls can be made through it.`,
      });
    }
    if (this.session) return this.session;
    if (!this.connecting) {
      const connecting = this.startSession().finally(() => {
        if (this.connecting === connecting) this.connecting = undefined;
      });
      // Callers race their own signals against it; the start itself always settles and is always observed.
      connecting.catch(() => undefined);
      this.connecting = connecting;
    }
    return await abortable(this.connecting, signal, this.name);
  }

  private async startSession(): Promise<Session> {
    if (this.restarts.exhausted) {
      throw new ProviderError({
        code: 'server-unavailable',
        server: this.name,
        message: `Server "${this.name}" failed ${this.restarts.failureCount} times in a row, so Conductor stopped starting it. Last failure: ${this.lastFailure?.message ?? 'unknown'}`,
        cause: this.lastFailure,
      });
    }
    const backoff = this.restarts.delayBeforeStart();
    if (backoff > 0) await new Promise((resolve) => setTimeout(resolve, backoff));
    this.restarts.started();
    try {
      const session = await this.open();
      if (this.closed) {
        session.closedByConductor = true;
        await session.client.close().catch(() => undefined);
        throw new ProviderError({
          code: 'connection-closed',
          server: this.name,
          message: `The connection to server "${this.name}" was closed while it was starting.`,
        });
      }
      this.session = session;
      this.lastFailure = undefined;
      return session;
    } catch (error) {
      if (ProviderError.isInstance(error)) throw error;
      this.restarts.failed();
      const failure = this.startFailure(error);
      this.lastFailure = failure;
      throw failure;
    }
  }

  private async open(): Promise<Session> {
    const transport = this.config.transport;
    if (transport.type === 'stdio') {
      const stdio = new StdioClientTransport({
        command: transport.command,
        args: transport.args,
        env: transport.env,
        cwd: transport.cwd,
        stderr: 'pipe',
      });
      this.log!.started([transport.command, ...transport.args].join(' '));
      const stderrEnded = stdio.stderr ? this.log!.follow(stdio.stderr as Readable) : Promise.resolve();
      return await this.openSession(stdio, 'stdio', stderrEnded);
    }
    const url = new URL(transport.url);
    const requestInit = { headers: transport.headers };
    if (transport.type === 'sse') {
      return await this.openSession(new SSEClientTransport(url, { requestInit }), 'sse', Promise.resolve());
    }
    try {
      return await this.openSession(
        new StreamableHTTPClientTransport(url, { requestInit }),
        'http',
        Promise.resolve(),
      );
    } catch (streamableError) {
      // The backwards-compatible way the MCP specification describes: a server that refuses the Streamable HTTP
      // POST may be an older one that speaks HTTP+SSE at the same address.
      try {
        return await this.openSession(new SSEClientTransport(url, { requestInit }), 'sse', Promise.resolve());
      } catch (sseError) {
        throw new Error(
          `Streamable HTTP failed (${messageOf(streamableError)}), and so did SSE (${messageOf(sseError)})`,
        );
      }
    }
  }

  private async openSession(transport: Transport, kind: ConnectedTransport, stderrEnded: Promise<void>) {
    const client = new Client({ name: 'conductor', version: this.clientVersion }, { capabilities: {} });
    const session: Session = { client, transport, kind, closedByConductor: false, stderrEnded };
    // Transport errors are remembered for the message; the close that follows them is what ends calls.
    client.onerror = (error) => {
      session.lastError = error;
    };
    client.onclose = () => this.sessionClosed(session);
    try {
      await client.connect(transport, { timeout: this.startTimeoutMs });
    } catch (error) {
      session.closedByConductor = true;
      await client.close().catch(() => undefined);
      // The process has exited or been stopped: wait briefly for its last stderr lines, which say why.
      await Promise.race([stderrEnded, delay(250)]);
      throw error;
    }
    this.kind = kind;
    return session;
  }

  private sessionClosed(session: Session): void {
    if (session.closedByConductor || this.session !== session) return;
    this.session = undefined;
    this.restarts.failed();
    const reason = session.lastError ? `: ${session.lastError.message}` : '';
    this.log?.note(`exited unexpectedly${reason}`);
    this.lastFailure = new ProviderError({
      code: 'server-crashed',
      server: this.name,
      retryable: true,
      message: this.mask(
        `Server "${this.name}" stopped unexpectedly${reason}; it is started again on the next call.${this.tailText()}`,
      ),
    });
  }

  private dropSession(session: Session, error: unknown): void {
    this.session = undefined;
    session.closedByConductor = true;
    this.restarts.failed();
    this.lastFailure = new ProviderError({
      code: 'server-unavailable',
      server: this.name,
      retryable: true,
      message: `Server "${this.name}" stopped answering (${messageOf(error)}); Conductor connects again on the next call.`,
    });
    session.client.close().catch(() => undefined);
  }

  private async fetchTools(session: Session): Promise<ToolDescription[]> {
    const tools: ToolDescription[] = [];
    let cursor: string | undefined;
    do {
      const page = await session.client.listTools(cursor ? { cursor } : undefined, {
        timeout: this.config.timeoutMs,
      });
      for (const tool of page.tools) {
        tools.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  private startFailure(error: unknown): ProviderError {
    const transport = this.config.transport;
    const what =
      transport.type === 'stdio'
        ? `\`${[transport.command, ...transport.args].join(' ')}\``
        : `${transport.url} (${transport.type === 'sse' ? 'SSE' : 'Streamable HTTP, then SSE'})`;
    const fix =
      transport.type === 'stdio'
        ? ` Check the command, its arguments and environment in the config${this.log ? `; the full log is ${this.log.file}` : ''}.`
        : ' Check that the server is running and the URL and headers are right.';
    return new ProviderError({
      code: 'server-unavailable',
      server: this.name,
      // Not retryable by the executor: the connection already retries with backoff on the next call.
      retryable: false,
      message: this.mask(
        `Server "${this.name}" could not be started: ${what} failed with ${messageOf(error)}.${fix}${this.tailText()}`,
      ),
      cause: error,
    });
  }

  private async describeCallFailure(
    error: unknown,
    session: Session,
    tool: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<ProviderError> {
    if (signal?.aborted) {
      return new ProviderError({
        code: 'cancelled',
        server: this.name,
        message: `Call of tool ${tool} on server "${this.name}" was cancelled (${messageOf(signal.reason)}); the server was told to stop.`,
        cause: error,
      });
    }
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return new ProviderError({
        code: 'timeout',
        server: this.name,
        outcomeUnknown: true,
        message: `Tool ${tool} on server "${this.name}" did not answer within ${timeoutMs} ms; the server was told to stop. Whether it made the change is unknown. Raise conductor.timeoutMs for this server if it is just slow.`,
        cause: error,
      });
    }
    if (isConnectionLoss(error) || this.session !== session) {
      // An HTTP server that went away (or forgot the session) does not close the transport: drop it here, so the
      // next call connects afresh. A stdio process's exit closes its transport by itself.
      if (this.session === session && session.kind !== 'stdio') this.dropSession(session, error);
      await Promise.race([session.stderrEnded, delay(100)]);
      return new ProviderError({
        code: 'connection-lost',
        server: this.name,
        // The request may or may not have been carried out: not retried blindly; rollback looks first. The server is
        // started again on the next call.
        outcomeUnknown: true,
        message: this.mask(
          `Server "${this.name}" went away during tool ${tool} (${messageOf(session.lastError ?? error)}); whether it made the change is unknown.${this.tailText()}`,
        ),
        cause: error,
      });
    }
    return new ProviderError({
      code: 'tool-call-failed',
      server: this.name,
      message: `Tool ${tool} on server "${this.name}" failed: ${messageOf(error)}`,
      cause: error,
    });
  }

  /** The server's secrets (values expanded from the environment) replaced by ***. */
  private mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.replaceAll(secret, '***');
    return masked;
  }

  private tailText(): string {
    const tail = this.stderrTail();
    return tail.length === 0 ? '' : `\nIts stderr ended with:\n  ${tail.slice(-10).join('\n  ')}`;
  }
}

function isConnectionLoss(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  // A Streamable HTTP server answers 404 for a session it no longer knows (it restarted).
  if (error instanceof StreamableHTTPError) return error.code === 404;
  // fetch failures (HTTP servers) and writes to a dead process ("Not connected", EPIPE).
  return (
    error instanceof Error && /fetch failed|not connected|EPIPE|ECONNRESET|ECONNREFUSED/i.test(error.message)
  );
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && !error.message.includes(cause.message)
      ? `${error.message} (${cause.message})`
      : error.message;
  }
  return String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
