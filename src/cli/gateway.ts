// The provider gateway the CLI applies through. The MCP gateway (src/providers) is not built yet, so there is none:
// apply, destroy and recover say so plainly instead of pretending. Embedding programs and tests pass their own.
import type { LoadedConfig } from '../config/config.js';
import type { ProviderGateway } from '../execute/provider-gateway.js';
import { ConductorError } from '../model/conductor-error.js';

export function resolveGateway(given: ProviderGateway | undefined, config: LoadedConfig): ProviderGateway {
  if (given) return given;
  const servers = Object.keys(config.config.mcpServers ?? {});
  throw new ConductorError({
    code: 'no-providers',
    summary:
      servers.length === 0
        ? 'No providers are configured, so there is nothing to apply to.'
        : `Conductor cannot reach the configured servers (${servers.join(', ')}) yet: this version has no MCP gateway.`,
    detail:
      'This version plans, reviews and records state, but connecting to MCP servers (and the built-in sandbox) comes in a ' +
      'later release. Nothing was changed. `conductor plan -f FILE` shows what an apply would do.',
    exitCode: 1,
  });
}
