// The providers a command works with: the MCP servers from config, or the built-in sandbox when none are configured
// (said once, on stderr), or a gateway an embedding program passes in. Opened lazily: commands that only read state
// never start a server.
import type { LoadedConfig } from '../config/config.js';
import { conductorHome } from '../config/config.js';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Deployment } from '../model/resource.js';
import type { TypeCatalog } from '../model/type-catalog.js';
import type { McpGateway } from '../providers/mcp-gateway.js';
import type { CliIo, CliServices } from './main.js';

export interface OpenedProviders {
  gateway: ProviderGateway;
  /** The MCP gateway, unless an embedding program passed its own gateway. */
  mcp?: McpGateway;
  sandbox: boolean;
  diagnostics: Diagnostic[];
  /** What the servers say about their types (for the planner), for the servers a deployment touches. */
  typesFor(deployment: Deployment | undefined): Promise<{ types?: TypeCatalog; diagnostics: Diagnostic[] }>;
  close(): Promise<void>;
}

export async function openProviders(
  config: LoadedConfig,
  io: CliIo,
  services: CliServices,
): Promise<OpenedProviders> {
  if (services.gateway) {
    return {
      gateway: services.gateway,
      sandbox: false,
      diagnostics: [],
      typesFor: async () => ({ ...(services.types ? { types: services.types } : {}), diagnostics: [] }),
      close: async () => {},
    };
  }
  const { createProviders } = await import('../providers/registry.js');
  const home = conductorHome(io.env);
  const providers = createProviders({ config, home, env: io.env });
  if (providers.sandbox)
    io.stderr(
      `Sandbox mode: no MCP servers are configured, so Conductor uses its built-in simulated servers (${providers.servers.map((server) => server.name).join(', ')}); their data lives in ${home}/sandbox. Add mcpServers to conductor.config.json to use real ones.\n`,
    );
  for (const diagnostic of providers.diagnostics)
    io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
  return {
    gateway: providers.gateway,
    mcp: providers.gateway,
    sandbox: providers.sandbox,
    diagnostics: providers.diagnostics,
    typesFor: async (deployment) => {
      const known = new Set(providers.gateway.serverNames);
      const touched = [...new Set((deployment?.resources ?? []).map((resource) => resource.server))].filter(
        (server) => known.has(server),
      );
      if (touched.length === 0) return { diagnostics: [] };
      const catalog = await providers.gateway.describeTypes({ servers: touched });
      // A server that cannot start is a warning about that server: the plan still shows what it can.
      return {
        types: catalog,
        diagnostics: catalog.diagnostics.map((diagnostic) => ({
          ...diagnostic,
          severity: 'warning' as const,
        })),
      };
    },
    close: () => providers.close(),
  };
}
