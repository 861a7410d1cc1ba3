// `conductor serve`: Conductor as an MCP server for Claude Desktop, Claude Code or any MCP client. Over stdio by
// default (stdout then carries only MCP messages: everything Conductor says goes to stderr); with --http PORT, over
// Streamable HTTP on 127.0.0.1, every request carrying the bearer token kept in $CONDUCTOR_HOME/serve-token.
import { conductorHome } from '../config/config.js';
import { ConductorError } from '../model/conductor-error.js';
import { OutputCapture, ServeBackend } from '../serve/backend.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliServices } from './main.js';
import { openAgent } from './open-agent.js';

export interface ServeCommandOptions {
  /** --http PORT (0 picks a free port). */
  http?: number;
  model?: string;
  state?: string;
  configPath?: string;
  lockTimeoutMs: number;
}

export async function serveCommand(
  options: ServeCommandOptions,
  io: CliIo,
  services: CliServices,
): Promise<number> {
  const say = (line: string) => io.stderr(`${line.replace(/\n$/, '')}\n`);
  // What the engine prints while applying is collected for the tool result; stray output goes to stderr, never to
  // stdout, which belongs to the MCP messages.
  const capture = new OutputCapture(io.stderr);
  const agentIo: CliIo = {
    ...io,
    stdout: capture.write,
    color: false,
    interactive: false,
    interruptible: false,
  };
  const agent = await openAgent(
    {
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.model ? { model: options.model } : {}),
      color: false,
      yes: false,
      strategy: 'eager',
      rollback: true,
      lockTimeoutMs: options.lockTimeoutMs,
    },
    agentIo,
    services,
  );
  const backend = new ServeBackend({
    agent,
    capture,
    env: io.env,
    lockTimeoutMs: options.lockTimeoutMs,
    log: say,
  });
  try {
    say(`conductor serve: ${agent.notice}`);
    // Start the providers now: a server that cannot start is reported here, before a client relies on it.
    await agent.infrastructure.providers();
    if (options.http !== undefined) await serveHttp(backend, options.http, io, say);
    else {
      const { serveStdio } = await import('../serve/stdio.js');
      await serveStdio(backend, stopRequested());
    }
    return EXIT.ok;
  } finally {
    await backend.close();
  }
}

async function serveHttp(
  backend: ServeBackend,
  port: number,
  io: CliIo,
  say: (line: string) => void,
): Promise<void> {
  const [{ startHttpServe }, { loadOrCreateServeToken }, { createConductorServer }] = await Promise.all([
    import('../serve/http.js'),
    import('../serve/token.js'),
    import('../serve/server.js'),
  ]);
  const token = await loadOrCreateServeToken(conductorHome(io.env));
  const handle = await startHttpServe({
    port,
    token: token.token,
    createServer: () => createConductorServer(backend),
    log: say,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    throw new ConductorError({
      code: 'port-unavailable',
      summary: `Cannot listen on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}.`,
      detail: 'Choose another port, or --http 0 to pick a free one (the address is printed when it starts).',
      exitCode: EXIT.usage,
      cause: error,
    });
  });
  say(
    `conductor serve: listening on ${handle.url} (127.0.0.1 only). Every request needs "Authorization: Bearer <token>"; the token is in ${token.path}${token.created ? ' (new)' : ''}. Ctrl-C stops.`,
  );
  await stopRequested();
  await handle.close();
}

/** Resolves on SIGINT or SIGTERM: the server then closes its sessions and providers and exits. */
function stopRequested(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
