// Shared pieces for the provider tests: where the real servers live, temporary homes, and gateways built the way the
// registry builds them (parsed config → connections → McpGateway), over real processes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallOptions } from '../../src/execute/provider-gateway.js';
import { McpConnection } from '../../src/providers/mcp-connection.js';
import { McpGateway } from '../../src/providers/mcp-gateway.js';
import type { RestartPolicyOptions } from '../../src/providers/restart-policy.js';
import { parseServerConfigs } from '../../src/providers/server-config.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MEMORY_SERVER = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
export const FILESYSTEM_SERVER = join(
  ROOT,
  'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
);
export const FIXTURE_SERVER = join(ROOT, 'test/providers/fixtures/fixture-server.mjs');
export const NODE = process.execPath;

export async function temporaryDirectory(prefix = 'conductor-providers-'): Promise<{
  path: string;
  remove: () => Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A gateway over the given `mcpServers` entries; throws if the entries have problems. */
export function gatewayFor(
  mcpServers: Record<string, unknown>,
  home: string,
  restart: RestartPolicyOptions = { initialDelayMs: 20, maxDelayMs: 100 },
): McpGateway {
  const { servers, diagnostics } = parseServerConfigs(mcpServers, { directory: ROOT, env: process.env });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((diagnostic) => diagnostic.summary).join('\n'));
  return new McpGateway(
    servers.map((server) => new McpConnection({ server, logDirectory: join(home, 'logs'), restart })),
  );
}

/** Call options with a signal nobody aborts. */
export function call(): CallOptions {
  return { signal: new AbortController().signal };
}

/** The rejection a promise ends with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
