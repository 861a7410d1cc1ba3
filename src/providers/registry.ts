// The servers Conductor works with, from the configuration: exactly the `mcpServers` configured, or, when there are
// none, the built-in sandbox (one simulated provider per server, started only when a call needs it).
import { join } from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SANDBOX_PROVIDERS, type SandboxServerCommand, sandboxServerCommand } from '../sandbox/index.js';
import type { Adapter } from './adapter.js';
import { adapterNames, BUILTIN_ADAPTERS } from './adapters/index.js';
import { McpConnection } from './mcp-connection.js';
import { McpGateway } from './mcp-gateway.js';
import type { RestartPolicyOptions } from './restart-policy.js';
import { DEFAULT_SERVER_TIMEOUT_MS, parseServerConfigs, type ServerConfig } from './server-config.js';

/** The simulated providers and how each is started (a command speaking the native protocol over stdio). */
export interface SandboxSource {
  providers: readonly string[];
  command(provider: string, home: string): SandboxServerCommand;
}

export interface CreateProvidersOptions {
  config: LoadedConfig;
  /** `$CONDUCTOR_HOME`: server logs go to `<home>/logs`, sandbox data to `<home>/sandbox`. */
  home: string;
  /** For `${VAR}` expansion and `CONDUCTOR_SANDBOX_FAULTS` (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default: the adapters Conductor ships. */
  adapters?: readonly Adapter[];
  /** Default: the built-in sandbox providers. */
  sandbox?: SandboxSource;
  restart?: RestartPolicyOptions;
  clientVersion?: string;
}

export interface Providers {
  gateway: McpGateway;
  /** The servers the gateway routes to (valid configured ones, or the sandbox's). */
  servers: ServerConfig[];
  /** No servers are configured: the built-in simulated providers stand in. */
  sandbox: boolean;
  /** Configuration problems; a server with a problem is left out, the others work. */
  diagnostics: Diagnostic[];
  close(): Promise<void>;
}

export const BUILTIN_SANDBOX: SandboxSource = {
  providers: SANDBOX_PROVIDERS,
  command: sandboxServerCommand,
};

export function createProviders(options: CreateProvidersOptions): Providers {
  const env = options.env ?? process.env;
  const adapters = options.adapters ?? BUILTIN_ADAPTERS;
  const configured = options.config.config.mcpServers;
  const sandbox = configured === undefined || Object.keys(configured).length === 0;
  let servers: ServerConfig[];
  let diagnostics: Diagnostic[] = [];
  if (sandbox) {
    const configuredFaults = options.config.config.sandbox?.faults;
    // Faults from config reach the servers the same way as the variable; a variable that is set wins.
    const faultsEnv =
      env.CONDUCTOR_SANDBOX_FAULTS === undefined && configuredFaults
        ? { ...env, CONDUCTOR_SANDBOX_FAULTS: JSON.stringify(configuredFaults) }
        : env;
    servers = sandboxServers(options.sandbox ?? BUILTIN_SANDBOX, options.home, faultsEnv);
  } else {
    const parsed = parseServerConfigs(configured, {
      file: options.config.file,
      directory: options.config.directory,
      env,
      adapterNames: adapterNames(adapters),
    });
    servers = parsed.servers;
    diagnostics = parsed.diagnostics;
  }
  const logDirectory = join(options.home, 'logs');
  const connections = servers.map(
    (server) =>
      new McpConnection({
        server,
        logDirectory,
        restart: options.restart,
        clientVersion: options.clientVersion,
      }),
  );
  const gateway = new McpGateway(connections, { adapters });
  return { gateway, servers, sandbox, diagnostics, close: () => gateway.close() };
}

function sandboxServers(source: SandboxSource, home: string, env: NodeJS.ProcessEnv): ServerConfig[] {
  return source.providers.map((provider) => {
    const { command, args, env: serverEnv } = source.command(provider, home);
    const childEnv: Record<string, string> = { ...serverEnv };
    // The SDK passes only a safe few variables to a server; fault injection must reach the simulated providers.
    if (env.CONDUCTOR_SANDBOX_FAULTS !== undefined && childEnv.CONDUCTOR_SANDBOX_FAULTS === undefined) {
      childEnv.CONDUCTOR_SANDBOX_FAULTS = env.CONDUCTOR_SANDBOX_FAULTS;
    }
    return {
      name: provider,
      transport: { type: 'stdio', command, args, env: childEnv },
      timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
    };
  });
}
