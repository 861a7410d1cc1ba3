// `conductor serve` over stdio, as Claude Desktop and Claude Code start it: one client, one MCP session, until the
// client closes stdin (or the server is stopped).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ServeBackend } from './backend.js';
import { createConductorServer } from './server.js';

/** Serves until the client goes away or `stopped` resolves. */
export async function serveStdio(backend: ServeBackend, stopped: Promise<void>): Promise<void> {
  const server = createConductorServer(backend);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport());
  await Promise.race([closed, stopped]);
  await server.close().catch(() => undefined);
}
