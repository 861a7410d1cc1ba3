// Conductor's configuration file: where it is found, what it may contain, and problems reported with the file and
// key path. Sections that later parts own (mcpServers, state) are kept as given for them to validate.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Diagnostic } from '../model/diagnostic.js';

const policySettingsSchema = z
  .object({
    enforcement: z.enum(['advisory', 'mandatory', 'disabled']).optional(),
    severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  })
  .catchall(z.unknown());

export const configSchema = z.object({
  /** Claude Desktop / Claude Code format; validated by the provider registry. */
  mcpServers: z.record(z.string(), z.unknown()).optional(),
  /** Per-policy settings: enforcement, severity and the policy's own options. */
  policies: z.record(z.string(), policySettingsSchema).optional(),
  /** Custom policy files or directories, relative to the config file. */
  policyFiles: z.array(z.string()).optional(),
  /** Where state lives: a SQLite file path or `sqlite://...`, `postgres://...`, or `memory:`. */
  state: z.object({ url: z.string().optional() }).catchall(z.unknown()).optional(),
  /** The built-in sandbox: fault injection per server, as in CONDUCTOR_SANDBOX_FAULTS (which wins when set). */
  sandbox: z
    .object({ faults: z.record(z.string(), z.record(z.string(), z.unknown())).optional() })
    .strict()
    .optional(),
  /** How apply runs: limits, timeouts and retries. Per-server limits may also be set under mcpServers.<name>.conductor. */
  apply: z
    .object({
      concurrency: z.int().min(1).optional(),
      serverConcurrency: z.int().min(1).optional(),
      timeoutMs: z.int().min(1).optional(),
      retries: z.int().min(0).optional(),
    })
    .strict()
    .optional(),
  /** Who understands requests: the model, Claude's model name, and directories of the user's own patterns. */
  agent: z
    .object({
      model: z.enum(['anthropic', 'offline']).optional(),
      anthropicModel: z.string().min(1).optional(),
      /** Directories (or files) of pattern modules, relative to the config file; `$CONDUCTOR_HOME/patterns` too. */
      patterns: z.array(z.string()).optional(),
      timeoutMs: z.int().min(1).optional(),
      maxRetries: z.int().min(0).optional(),
    })
    .strict()
    .optional(),
});
export type ConductorConfig = z.infer<typeof configSchema>;

export interface LoadedConfig {
  config: ConductorConfig;
  /** The file read, if any. */
  file?: string;
  /** Relative paths in the config resolve against this. */
  directory: string;
  diagnostics: Diagnostic[];
}

export interface LoadConfigOptions {
  cwd: string;
  /** `--config FILE`: must exist. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
}

/** `$CONDUCTOR_HOME`, default `~/.conductor`: state, sandbox data, history, user patterns and policies. */
export function conductorHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONDUCTOR_HOME ? resolve(env.CONDUCTOR_HOME) : join(homedir(), '.conductor');
}

/** The first of: --config, ./conductor.config.json|yaml|yml, $CONDUCTOR_HOME/config.json. None is fine. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const candidates = options.explicitPath
    ? [resolve(options.cwd, options.explicitPath)]
    : [
        join(options.cwd, 'conductor.config.json'),
        join(options.cwd, 'conductor.config.yaml'),
        join(options.cwd, 'conductor.config.yml'),
        join(conductorHome(options.env), 'config.json'),
      ];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.explicitPath) continue;
      return {
        config: {},
        directory: options.cwd,
        diagnostics: [
          {
            severity: 'error',
            code: 'config-unreadable',
            summary: `Config file ${file} cannot be read.`,
            detail: `${(error as Error).message}. Check the path given to --config.`,
          },
        ],
      };
    }
    return parseConfig(text, file);
  }
  return { config: {}, directory: options.cwd, diagnostics: [] };
}

export function parseConfig(text: string, file: string): LoadedConfig {
  const directory = dirname(file);
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return {
      config: {},
      file,
      directory,
      diagnostics: [
        {
          severity: 'error',
          code: 'config-syntax',
          summary: `Config file ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}.`,
          detail: `${(error as Error).message.split('\n')[0]}. Fix the syntax and try again.`,
        },
      ],
    };
  }
  raw ??= {};
  const diagnostics: Diagnostic[] = [];
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    for (const key of Object.keys(raw as object)) {
      if (!(key in configSchema.shape)) {
        diagnostics.push({
          severity: 'warning',
          code: 'config-unknown-key',
          summary: `${file}: "${key}" is not a Conductor setting and is ignored.`,
          detail: `Known settings: ${Object.keys(configSchema.shape).join(', ')}. Check the spelling.`,
        });
      }
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keyPath = issue.path.map(String).join('.') || '(top level)';
      diagnostics.push({
        severity: 'error',
        code: 'config-invalid',
        summary: `${file}: ${keyPath} ${issue.message.replace(/^Invalid input: /, '')}.`,
        detail: fixFor(issue.path[0]),
      });
    }
    return { config: {}, file, directory, diagnostics };
  }
  return { config: parsed.data, file, directory, diagnostics };
}

function fixFor(key: PropertyKey | undefined): string {
  switch (key) {
    case 'policies':
      return 'Write policies as { "<policy id>": { "enforcement": "advisory"|"mandatory"|"disabled", ...options } }.';
    case 'policyFiles':
      return 'Write policyFiles as a list of paths to .js files or directories.';
    case 'apply':
      return 'Write apply as { "concurrency": 16, "serverConcurrency": 4, "timeoutMs": 60000, "retries": 2 } (all optional).';
    case 'sandbox':
      return 'Write sandbox as { "faults": { "<server>": { "failRate": 0.1, "latencyMs": [5, 50], "seed": 7 } } }.';
    case 'state':
      return 'Write state as { "url": "postgres://user@host/db" } or a SQLite file path.';
    case 'mcpServers':
      return 'Write mcpServers in the Claude Desktop format: { "<name>": { "command": "...", "args": [...] } }.';
    default:
      return 'The config file is an object; see the README for its settings.';
  }
}
