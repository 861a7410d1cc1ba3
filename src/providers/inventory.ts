// `conductor inventory`: what each server really holds now, through its list tools. The ground truth that tests and
// users compare state against. A server that cannot be reached, or a type that cannot be listed, is reported, not
// skipped in silence.
import type { ProviderResource } from '../execute/provider-gateway.js';
import { compareText } from '../model/compare-text.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { McpGateway } from './mcp-gateway.js';
import { serverDiagnostic } from './server-diagnostic.js';

export interface UnlistedType {
  type: string;
  reason: string;
}

export interface ServerInventory {
  server: string;
  /** By type, then name. */
  resources: ProviderResource[];
  /** Types the server holds but cannot list (an adapter without a list tool). */
  unlisted: UnlistedType[];
  /** Why the server could not be listed at all. */
  problem?: Diagnostic;
}

export interface InventoryOptions {
  /** Only these servers (default: every configured server). */
  servers?: readonly string[];
  signal?: AbortSignal;
}

export async function inventory(
  gateway: McpGateway,
  options: InventoryOptions = {},
): Promise<ServerInventory[]> {
  const servers = options.servers ?? gateway.serverNames;
  const signal = options.signal ?? new AbortController().signal;
  return await Promise.all(
    servers.map(async (server): Promise<ServerInventory> => {
      try {
        const catalog = await gateway.describeTypes({ servers: [server], signal });
        if (catalog.diagnostics.length > 0)
          return { server, resources: [], unlisted: [], problem: catalog.diagnostics[0] };
        const unlisted = catalog
          .types(server)
          .filter((info) => !info.operations.list)
          .map((info) => ({
            type: info.type,
            reason: info.operations.missing.list ?? 'It has no list tool.',
          }));
        const resources = await gateway.list({ server }, { signal });
        resources.sort(
          (a, b) => compareText(a.type, b.type) || compareText(a.name, b.name) || compareText(a.id, b.id),
        );
        return { server, resources, unlisted };
      } catch (error) {
        return { server, resources: [], unlisted: [], problem: serverDiagnostic(error, server) };
      }
    }),
  );
}
