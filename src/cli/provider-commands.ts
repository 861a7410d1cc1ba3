// `conductor inventory`, `conductor servers`, `conductor servers import` and `conductor refresh`: what the servers
// really hold, how they are connected, where their entries come from, and bringing state back in line with them.
import { join } from 'node:path';
import pc from 'picocolors';
import type { LoadedConfig } from '../config/config.js';
import { detectDrift } from '../execute/refresh.js';
import { ConductorError } from '../model/conductor-error.js';
import type { ServerInventory } from '../providers/inventory.js';
import { formatTable } from '../review/format-table.js';
import { redactValue } from '../review/redact.js';
import { renderDrift } from '../review/render-drift.js';
import type { StateStore } from '../state/state-store.js';
import type { CliIo } from './main.js';
import type { OpenedProviders } from './providers.js';

function requireMcp(providers: OpenedProviders): NonNullable<OpenedProviders['mcp']> {
  if (!providers.mcp)
    throw new ConductorError({
      code: 'no-mcp-gateway',
      summary: 'This command needs MCP servers, and the program running Conductor supplied its own gateway.',
      detail: 'Run `conductor` itself for inventory and server status.',
      exitCode: 2,
    });
  return providers.mcp;
}

export async function inventoryCommand(
  providers: OpenedProviders,
  io: CliIo,
  options: { server?: string; json?: boolean; color: boolean },
): Promise<number> {
  const held = await readInventory(providers, options.server);
  if (options.json) {
    io.stdout(`${JSON.stringify(inventoryDocument(held, providers.sandbox), null, 2)}\n`);
  } else {
    const c = pc.createColors(options.color);
    const lines: string[] = [];
    for (const server of held) {
      lines.push(c.bold(`${server.server}${providers.sandbox ? ' (sandbox)' : ''}`));
      if (server.problem) lines.push(`  ${c.red('unreachable')}: ${server.problem.summary}`);
      else if (server.resources.length === 0) lines.push('  (nothing)');
      for (const resource of server.resources)
        lines.push(`  ${resource.type}:${resource.name}  ${c.dim(resource.id)}`);
      for (const type of server.unlisted)
        lines.push(`  ${c.yellow(type.type)}: cannot be listed (${type.reason})`);
      lines.push('');
    }
    io.stdout(`${lines.join('\n')}`);
  }
  return held.some((server) => server.problem) ? 1 : 0;
}

/** What the servers hold now (one server, or all), through their list tools. An unknown server name is an error. */
export async function readInventory(providers: OpenedProviders, server?: string): Promise<ServerInventory[]> {
  const mcp = requireMcp(providers);
  if (server && !mcp.serverNames.includes(server))
    throw new ConductorError({
      code: 'unknown-server',
      summary: `There is no server named "${server}".`,
      detail: `Configured servers: ${mcp.serverNames.join(', ') || 'none'}.`,
      exitCode: 2,
    });
  const { inventory } = await import('../providers/inventory.js');
  return inventory(mcp, server ? { servers: [server] } : {});
}

/** What the servers hold, secrets masked: `inventory --json` and `conductor serve`'s inventory tool. */
export function inventoryDocument(held: readonly ServerInventory[], sandbox: boolean) {
  return {
    sandbox,
    servers: held.map((server) => ({
      name: server.server,
      status: server.problem ? ('error' as const) : ('ok' as const),
      ...(server.problem
        ? {
            error: server.problem.detail.startsWith(server.problem.summary.replace(/\.$/, ''))
              ? server.problem.detail
              : `${server.problem.summary} ${server.problem.detail}`,
          }
        : {}),
      resources: server.resources.map((resource) => ({
        ...resource,
        properties: redactValue(resource.properties) as Record<string, unknown>,
        outputs: redactValue(resource.outputs) as Record<string, unknown>,
      })),
      ...(server.unlisted.length > 0 ? { unlisted: server.unlisted } : {}),
    })),
  };
}

export async function serversCommand(
  providers: OpenedProviders,
  io: CliIo,
  options: { json?: boolean },
): Promise<number> {
  const mcp = requireMcp(providers);
  const statuses = await mcp.listServers({ connect: true });
  if (options.json) {
    io.stdout(`${JSON.stringify({ sandbox: providers.sandbox, servers: statuses }, null, 2)}\n`);
  } else {
    const table = formatTable(
      ['SERVER', 'STATUS', 'TOOLS', 'KIND', 'TYPES'],
      statuses.map((status) => [
        status.name,
        status.state === 'connected'
          ? 'connected'
          : `${status.state}${status.reason ? `: ${status.reason}` : ''}`,
        status.toolCount ?? 0,
        status.driver ?? 'unsupported',
        (status.types ?? []).join(', ') || '-',
      ]),
    );
    io.stdout(`${providers.sandbox ? 'Sandbox mode (no mcpServers configured).\n\n' : ''}${table}\n`);
  }
  return statuses.some((status) => status.state !== 'connected') ? 1 : 0;
}

export async function serversImportCommand(
  config: LoadedConfig,
  io: CliIo,
  options: { from?: string; into?: string },
): Promise<number> {
  const { importClaudeDesktopServers } = await import('../providers/claude-desktop-import.js');
  const into = options.into ?? config.file ?? join(io.cwd, 'conductor.config.json');
  const result = await importClaudeDesktopServers({
    ...(options.from ? { from: options.from } : {}),
    into,
    env: io.env,
  });
  for (const diagnostic of result.diagnostics)
    io.stderr(`${diagnostic.severity}: ${diagnostic.summary}\n  ${diagnostic.detail}\n`);
  if (result.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return 2;
  io.stdout(
    `${result.added.length > 0 ? `Added ${result.added.join(', ')} to ${result.target}${result.created ? ' (created)' : ''}.` : `Nothing added to ${result.target}.`}\n`,
  );
  for (const skipped of result.skipped) io.stdout(`  skipped ${skipped.name}: ${skipped.reason}\n`);
  return 0;
}

/** Reads every managed resource back and writes what the providers hold into state. */
export async function refreshCommand(
  providers: OpenedProviders,
  state: StateStore,
  io: CliIo,
  options: { deployment?: string; json?: boolean; color: boolean },
): Promise<number> {
  const records = options.deployment
    ? await state.resourcesOf(options.deployment)
    : await state.listResources();
  const report = await detectDrift(records, providers.gateway);
  const vanished = new Set(
    report.drift.filter((item) => item.kind === 'vanished').map((item) => item.address),
  );
  for (const record of records)
    if (vanished.has(record.address)) await state.removeResource(record.server, record.name);
  const changed = new Set(report.drift.filter((item) => item.kind === 'changed').map((item) => item.address));
  for (const record of report.refreshed) if (changed.has(record.address)) await state.putResource(record);
  if (options.json) io.stdout(`${JSON.stringify(report.drift, null, 2)}\n`);
  else
    io.stdout(
      `${renderDrift(report, { color: options.color })}${report.drift.length > 0 ? 'State now records what the providers hold; `conductor plan` shows how to put the deployment back.\n' : ''}`,
    );
  return report.unreadable.length > 0 ? 1 : 0;
}
