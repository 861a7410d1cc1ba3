// `mcpServers` entries in the Claude Desktop / Claude Code format, read as they are written there (stdio
// `{ command, args, env, cwd }`, or `{ type: "http" | "sse", url, headers }`) plus Conductor's own optional
// `conductor: { adapter, concurrency, timeoutMs }`. Every problem is a diagnostic naming the file, the key path and the
// fix; a server with a problem is left out and the others are kept.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SEGMENT_PATTERN } from '../model/address.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { expandVariables } from './expand-variables.js';

/** Variable names that hold credentials: their values are masked in messages (`OPNSENSE_KEY`, `GITHUB_TOKEN`). */
const SECRET_NAME = /key|token|secret|passw|pwd|auth|credential|cookie|session/i;

/** How long one tool call may take unless `conductor.timeoutMs` says otherwise. */
export const DEFAULT_SERVER_TIMEOUT_MS = 60_000;

export type StdioTransportConfig = {
  type: 'stdio';
  command: string;
  args: string[];
  /** Added to the small safe environment the MCP SDK passes on (PATH, HOME, ...). */
  env: Record<string, string>;
  cwd?: string;
};

export type HttpTransportConfig = {
  /** `http` is Streamable HTTP, falling back to SSE for older servers; `sse` goes to SSE directly. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
};

export type ServerTransportConfig = StdioTransportConfig | HttpTransportConfig;

export interface ServerConfig {
  name: string;
  transport: ServerTransportConfig;
  /** Adapter name from `conductor.adapter`; absent = detect (native protocol, then known server kinds). */
  adapter?: string;
  /** Most calls in flight on this server at once (the executor's per-server limit). */
  concurrency?: number;
  timeoutMs: number;
  /** Values expanded from the environment (`${TOKEN}`): masked in every message about the server. */
  secrets?: string[];
}

export interface ParseServerConfigsOptions {
  /** The config file, named in every diagnostic. */
  file?: string;
  /** Relative `cwd` settings resolve against it (the config file's directory). */
  directory: string;
  env: NodeJS.ProcessEnv;
  /** Adapter names `conductor.adapter` may use; unchecked when absent. */
  adapterNames?: readonly string[];
}

export interface ParsedServerConfigs {
  servers: ServerConfig[];
  diagnostics: Diagnostic[];
}

const conductorSettingsSchema = z
  .object({
    adapter: z.string().min(1).optional(),
    concurrency: z.int().min(1).optional(),
    timeoutMs: z.int().min(1).optional(),
  })
  .strict();

const stringMapSchema = z.record(z.string(), z.string());

// Other clients' keys (`disabled`, `autoApprove`, `alwaysAllow`, ...) are allowed and ignored: the same entries are
// meant to be shared with those clients.
const stdioEntrySchema = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: stringMapSchema.optional(),
  cwd: z.string().min(1).optional(),
  conductor: conductorSettingsSchema.optional(),
});

const httpEntrySchema = z.object({
  type: z.enum(['http', 'sse', 'streamable-http']).optional(),
  url: z.string().min(1),
  headers: stringMapSchema.optional(),
  conductor: conductorSettingsSchema.optional(),
});

const STDIO_EXAMPLE =
  '{ "command": "npx", "args": ["-y", "some-mcp-server"], "env": { "TOKEN": "${TOKEN}" } }';
const HTTP_EXAMPLE =
  '{ "type": "http", "url": "https://host/mcp", "headers": { "Authorization": "Bearer ${TOKEN}" } }';

export function parseServerConfigs(
  mcpServers: unknown,
  options: ParseServerConfigsOptions,
): ParsedServerConfigs {
  const diagnostics: Diagnostic[] = [];
  const servers: ServerConfig[] = [];
  const where = options.file ?? 'the configuration';
  const report = (
    path: readonly (string | number)[],
    code: string,
    summary: string,
    detail: string,
  ): void => {
    const keyPath = formatKeyPath(['mcpServers', ...path]);
    diagnostics.push({
      severity: 'error',
      code,
      summary: `${where}: ${keyPath} ${summary}`,
      detail,
      path: keyPath,
    });
  };
  if (mcpServers === undefined || mcpServers === null) return { servers, diagnostics };
  if (typeof mcpServers !== 'object' || Array.isArray(mcpServers)) {
    report(
      [],
      'config-server-invalid',
      'must be an object of servers by name.',
      `Write it as { "<name>": ${STDIO_EXAMPLE} }.`,
    );
    return { servers, diagnostics };
  }
  for (const [name, entry] of Object.entries(mcpServers as Record<string, unknown>)) {
    const before = diagnostics.length;
    const server = parseServerEntry(name, entry, options, report);
    if (server && diagnostics.length === before) servers.push(server);
  }
  return { servers, diagnostics };
}

type Report = (path: readonly (string | number)[], code: string, summary: string, detail: string) => void;

function parseServerEntry(
  name: string,
  entry: unknown,
  options: ParseServerConfigsOptions,
  report: Report,
): ServerConfig | undefined {
  if (!SEGMENT_PATTERN.test(name)) {
    report(
      [name],
      'config-server-name',
      'is not a usable server name: it appears in resource addresses (`server:type:name`).',
      `Rename the server with letters, digits, "-" and "_" only, e.g. "${suggestName(name)}".`,
    );
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    report(
      [name],
      'config-server-invalid',
      'must be an object.',
      `Write it as ${STDIO_EXAMPLE} or ${HTTP_EXAMPLE}.`,
    );
    return undefined;
  }
  const record = entry as Record<string, unknown>;
  const kind = transportKind(record);
  if (kind === 'unknown-type') {
    report(
      [name, 'type'],
      'config-server-invalid',
      `is "${String(record.type)}", which Conductor does not know.`,
      'Use "stdio" (with command/args), "http" (Streamable HTTP, with url) or "sse" (older HTTP servers, with url).',
    );
    return undefined;
  }
  if (kind === 'ambiguous') {
    report(
      [name],
      'config-server-invalid',
      'has both "command" and "url".',
      'A server is either started as a process (command/args) or reached over HTTP (type/url): remove one of them.',
    );
    return undefined;
  }
  if (kind === 'none') {
    report(
      [name],
      'config-server-invalid',
      'has neither "command" nor "url".',
      `Write it as ${STDIO_EXAMPLE} or ${HTTP_EXAMPLE}.`,
    );
    return undefined;
  }
  const schema = kind === 'stdio' ? stdioEntrySchema : httpEntrySchema;
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = [
        name,
        ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
      ];
      report(
        path,
        'config-server-invalid',
        `${issue.message.replace(/^Invalid input: /, '')}.`,
        fixForIssue(issue.path[0], kind),
      );
    }
    return undefined;
  }
  const secrets = new Set<string>();
  const expand = (value: string, path: readonly (string | number)[]): string => {
    const { text, missing, substituted } = expandVariables(value, options.env);
    // Credentials come from the environment precisely so they stay out of files: keep them out of messages too.
    for (const { name, value } of substituted)
      if (SECRET_NAME.test(name) && value.length >= 3) secrets.add(value);
    for (const variable of missing) {
      report(
        [name, ...path],
        'config-variable-unset',
        `uses \${${variable}}, which is not set in the environment.`,
        `Set ${variable} before running Conductor (e.g. \`export ${variable}=...\`), or give a default: \${${variable}:-value}.`,
      );
    }
    return text;
  };
  const expandMap = (map: Record<string, string> | undefined, key: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(map ?? {}).map(([entryKey, value]) => [entryKey, expand(value, [key, entryKey])]),
    );
  const settings = parsed.data.conductor ?? {};
  if (
    settings.adapter !== undefined &&
    options.adapterNames &&
    !options.adapterNames.includes(settings.adapter)
  ) {
    report(
      [name, 'conductor', 'adapter'],
      'config-adapter-unknown',
      `names adapter "${settings.adapter}", which Conductor does not have.`,
      `Use one of: ${options.adapterNames.join(', ')}; or remove the setting to detect the server's kind from its tools.`,
    );
  }
  let transport: ServerTransportConfig;
  if (kind === 'stdio') {
    const data = parsed.data as z.infer<typeof stdioEntrySchema>;
    const cwd = data.cwd === undefined ? undefined : expand(data.cwd, ['cwd']);
    transport = {
      type: 'stdio',
      command: expand(data.command, ['command']),
      args: (data.args ?? []).map((argument, index) => expand(argument, ['args', index])),
      env: expandMap(data.env, 'env'),
      // Relative to the config file, not to wherever Conductor happens to run: the same file means the same server.
      cwd: cwd === undefined ? options.directory : isAbsolute(cwd) ? cwd : resolve(options.directory, cwd),
    };
  } else {
    const data = parsed.data as z.infer<typeof httpEntrySchema>;
    const url = expand(data.url, ['url']);
    if (!isHttpUrl(url)) {
      report(
        [name, 'url'],
        'config-server-invalid',
        `is "${url}", which is not an http:// or https:// URL.`,
        'Write the full address of the MCP endpoint, e.g. "https://host:8080/mcp".',
      );
    }
    transport = {
      type: data.type === 'sse' ? 'sse' : 'http',
      url,
      headers: expandMap(data.headers, 'headers'),
    };
  }
  const server: ServerConfig = {
    name,
    transport,
    timeoutMs: settings.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS,
  };
  if (settings.adapter !== undefined) server.adapter = settings.adapter;
  if (settings.concurrency !== undefined) server.concurrency = settings.concurrency;
  if (secrets.size > 0) server.secrets = [...secrets];
  return server;
}

type TransportKind = 'stdio' | 'http' | 'unknown-type' | 'ambiguous' | 'none';

function transportKind(entry: Record<string, unknown>): TransportKind {
  const type = entry.type;
  if (type !== undefined && !['stdio', 'http', 'sse', 'streamable-http'].includes(String(type)))
    return 'unknown-type';
  if ('command' in entry && 'url' in entry) return 'ambiguous';
  if (type === 'stdio' || (type === undefined && 'command' in entry)) return 'stdio';
  if (type !== undefined || 'url' in entry) return 'http';
  return 'none';
}

function fixForIssue(key: PropertyKey | undefined, kind: 'stdio' | 'http'): string {
  switch (key) {
    case 'conductor':
      return 'Write conductor as { "adapter": "memory", "concurrency": 4, "timeoutMs": 30000 } (all optional; concurrency and timeoutMs are whole numbers of at least 1).';
    case 'args':
      return 'Write args as a list of strings: ["-y", "some-mcp-server", "--flag"].';
    case 'env':
    case 'headers':
      return `Write ${String(key)} as an object of strings: { "NAME": "value" } (values may use \${VAR}).`;
    default:
      return `Write the server as ${kind === 'stdio' ? STDIO_EXAMPLE : HTTP_EXAMPLE}.`;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function suggestName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'server' : cleaned;
}

/** `mcpServers.opnsense.args[1]`; keys that are not plain words are quoted: `mcpServers["my.server"]`. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
