// `conductor servers import --from-claude-desktop [PATH]`: copies the `mcpServers` entries of a Claude Desktop config
// into a Conductor config file (JSON or YAML), keeping what is already there. Entries are copied as written, `${VAR}`
// placeholders included, so secrets stay in the environment.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { parseServerConfigs } from './server-config.js';

export interface ImportClaudeDesktopOptions {
  /** The Claude Desktop config; default: its usual place on this system (see `claudeDesktopConfigPath`). */
  from?: string;
  /** The Conductor config to add the servers to; created when missing (YAML when it ends in .yaml or .yml). */
  into: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export interface SkippedServer {
  name: string;
  /** Why it was not copied, in a sentence. */
  reason: string;
}

export interface ImportClaudeDesktopResult {
  /** The Claude Desktop config read. */
  source: string;
  /** The Conductor config written (or that would have been, when nothing was added). */
  target: string;
  /** Whether the target file was created by this import. */
  created: boolean;
  /** Names copied, in the source's order. */
  added: string[];
  skipped: SkippedServer[];
  /** Problems that stopped the import (unreadable files) or that the copied entries will have when used. */
  diagnostics: Diagnostic[];
}

/** Where Claude Desktop keeps its config on each system. */
export function claudeDesktopConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  }
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
  }
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Claude', 'claude_desktop_config.json');
}

export async function importClaudeDesktopServers(
  options: ImportClaudeDesktopOptions,
): Promise<ImportClaudeDesktopResult> {
  const env = options.env ?? process.env;
  const source = options.from ?? claudeDesktopConfigPath(options.platform, env, options.home);
  const result: ImportClaudeDesktopResult = {
    source,
    target: options.into,
    created: false,
    added: [],
    skipped: [],
    diagnostics: [],
  };
  const incoming = await readSourceServers(source, result.diagnostics);
  if (!incoming) return result;
  const target = await readTarget(options.into, result.diagnostics);
  if (!target) return result;

  for (const [name, entry] of Object.entries(incoming)) {
    if (target.has(name)) {
      result.skipped.push({
        name,
        reason: `${options.into} already has a server named "${name}"; it was kept as is.`,
      });
      continue;
    }
    // Checked without expanding variables: an unset ${VAR} is the user's environment, not a reason to skip.
    const check = parseServerConfigs(
      { [name]: entry },
      { file: source, directory: dirname(source), env: {} },
    );
    const structural = check.diagnostics.filter((diagnostic) => diagnostic.code !== 'config-variable-unset');
    if (structural.length > 0) {
      result.skipped.push({ name, reason: structural.map((diagnostic) => diagnostic.summary).join(' ') });
      continue;
    }
    target.add(name, entry);
    result.added.push(name);
  }
  if (result.added.length > 0) {
    await mkdir(dirname(options.into), { recursive: true });
    await writeFile(options.into, target.text(), 'utf8');
    result.created = !target.existed;
  }
  // What the copied entries still need from the environment, said now rather than at the first apply.
  const copied = Object.fromEntries(result.added.map((name) => [name, incoming[name]]));
  const needs = parseServerConfigs(copied, { file: options.into, directory: dirname(options.into), env });
  for (const diagnostic of needs.diagnostics) result.diagnostics.push({ ...diagnostic, severity: 'warning' });
  return result;
}

async function readSourceServers(
  source: string,
  diagnostics: Diagnostic[],
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      code: 'import-source-unreadable',
      summary: `Claude Desktop config ${source} cannot be read.`,
      detail: `${(error as Error).message}. Give the file's path: \`conductor servers import --from-claude-desktop PATH\`.`,
    });
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      code: 'import-source-invalid',
      summary: `Claude Desktop config ${source} is not valid JSON.`,
      detail: `${(error as Error).message}. Fix the file (Claude Desktop cannot read it either) and import again.`,
    });
    return undefined;
  }
  const servers = (raw as { mcpServers?: unknown } | null)?.mcpServers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    diagnostics.push({
      severity: 'error',
      code: 'import-source-empty',
      summary: `Claude Desktop config ${source} has no "mcpServers" object.`,
      detail:
        'There is nothing to import. Add servers in Claude Desktop (Settings → Developer → Edit Config) first.',
    });
    return undefined;
  }
  return servers as Record<string, unknown>;
}

interface TargetConfig {
  existed: boolean;
  has(name: string): boolean;
  add(name: string, entry: unknown): void;
  text(): string;
}

async function readTarget(file: string, diagnostics: Diagnostic[]): Promise<TargetConfig | undefined> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      diagnostics.push({
        severity: 'error',
        code: 'import-target-unreadable',
        summary: `Conductor config ${file} cannot be read.`,
        detail: `${(error as Error).message}. Check the file's permissions, or import into another file.`,
      });
      return undefined;
    }
  }
  const problem = (message: string): undefined => {
    diagnostics.push({
      severity: 'error',
      code: 'import-target-invalid',
      summary: `Conductor config ${file} cannot be merged into: ${message}.`,
      detail:
        'Fix the file so that it is an object whose "mcpServers" (if present) is an object, then import again.',
    });
    return undefined;
  };
  if (file.endsWith('.json')) {
    let config: Record<string, unknown> = {};
    if (text !== undefined && text.trim() !== '') {
      try {
        config = JSON.parse(text);
      } catch (error) {
        return problem(`it is not valid JSON (${(error as Error).message})`);
      }
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      return problem('it is not an object');
    const servers = (config.mcpServers ?? {}) as Record<string, unknown>;
    if (typeof servers !== 'object' || Array.isArray(servers))
      return problem('"mcpServers" is not an object');
    config.mcpServers = servers;
    return {
      existed: text !== undefined,
      has: (name) => Object.hasOwn(servers, name),
      add: (name, entry) => {
        servers[name] = entry;
      },
      text: () => `${JSON.stringify(config, null, 2)}\n`,
    };
  }
  // YAML through the document model, so the user's comments and layout survive the merge.
  const document = parseDocument(text ?? '');
  if (document.errors.length > 0) return problem(`it is not valid YAML (${document.errors[0]!.message})`);
  if (document.contents !== null && !isMap(document.contents)) return problem('it is not a mapping');
  const servers = document.getIn(['mcpServers']);
  if (servers !== undefined && servers !== null && !isMap(servers))
    return problem('"mcpServers" is not a mapping');
  return {
    existed: text !== undefined,
    has: (name) => document.hasIn(['mcpServers', name]),
    add: (name, entry) => {
      document.setIn(['mcpServers', name], document.createNode(entry));
    },
    text: () => document.toString(),
  };
}
