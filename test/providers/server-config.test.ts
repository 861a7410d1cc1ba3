import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import {
  claudeDesktopConfigPath,
  importClaudeDesktopServers,
} from '../../src/providers/claude-desktop-import.js';
import { expandVariables } from '../../src/providers/expand-variables.js';
import { DEFAULT_SERVER_TIMEOUT_MS, parseServerConfigs } from '../../src/providers/server-config.js';

const file = '/etc/conductor/conductor.config.json';
const options = (env: NodeJS.ProcessEnv = {}) => ({
  file,
  directory: '/etc/conductor',
  env,
  adapterNames: ['native', 'memory', 'filesystem'],
});

describe('expandVariables', () => {
  it('replaces ${VAR}, uses defaults for unset or empty variables, and names what is missing', () => {
    expect(expandVariables('${HOST}:${PORT:-8080}/${EMPTY:-x}', { HOST: 'fw', EMPTY: '' })).toEqual({
      text: 'fw:8080/x',
      missing: [],
      // Only values from the environment count as secrets, not defaults written in the config.
      substituted: [{ name: 'HOST', value: 'fw' }],
    });
    expect(expandVariables('${PORT:-8080}', { PORT: '443' }).text).toBe('443');
    expect(expandVariables('key=${API_KEY} ${OTHER}', {})).toEqual({
      text: 'key=${API_KEY} ${OTHER}',
      missing: ['API_KEY', 'OTHER'],
      substituted: [],
    });
    expect(expandVariables('${SET}', { SET: '' })).toEqual({
      text: '',
      missing: [],
      substituted: [{ name: 'SET', value: '' }],
    });
  });
});

describe('parseServerConfigs', () => {
  it('reads Claude Desktop stdio entries and Claude Code http/sse entries as they are, with Conductor settings', () => {
    const { servers, diagnostics } = parseServerConfigs(
      {
        opnsense: {
          command: 'npx',
          args: ['-y', 'opnsense-mcp', '--key', '${OPNSENSE_KEY}'],
          env: { OPNSENSE_URL: 'https://${FW_HOST:-192.168.1.1}' },
          autoApprove: ['list'],
          conductor: { adapter: 'native', concurrency: 2, timeoutMs: 5000 },
        },
        memory: { type: 'stdio', command: 'node', args: ['memory.js'], cwd: 'servers' },
        remote: {
          type: 'http',
          url: 'https://${REMOTE_HOST}/mcp',
          headers: { Authorization: 'Bearer ${TOKEN}' },
        },
        legacy: { type: 'sse', url: 'http://localhost:9000/sse' },
        implicit: { url: 'http://localhost:9001/mcp' },
      },
      options({ OPNSENSE_KEY: 'k-123', REMOTE_HOST: 'mcp.example.com', TOKEN: 't0k' }),
    );
    expect(diagnostics).toEqual([]);
    expect(servers).toEqual([
      {
        name: 'opnsense',
        transport: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', 'opnsense-mcp', '--key', 'k-123'],
          env: { OPNSENSE_URL: 'https://192.168.1.1' },
          cwd: '/etc/conductor',
        },
        adapter: 'native',
        concurrency: 2,
        timeoutMs: 5000,
        // The key came from the environment: masked wherever Conductor prints something about this server.
        secrets: ['k-123'],
      },
      {
        name: 'memory',
        transport: {
          type: 'stdio',
          command: 'node',
          args: ['memory.js'],
          env: {},
          cwd: '/etc/conductor/servers',
        },
        timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
      },
      {
        name: 'remote',
        transport: {
          type: 'http',
          url: 'https://mcp.example.com/mcp',
          headers: { Authorization: 'Bearer t0k' },
        },
        timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
        // TOKEN names a credential; REMOTE_HOST does not, so the host stays readable in messages.
        secrets: ['t0k'],
      },
      {
        name: 'legacy',
        transport: { type: 'sse', url: 'http://localhost:9000/sse', headers: {} },
        timeoutMs: 60_000,
      },
      {
        name: 'implicit',
        transport: { type: 'http', url: 'http://localhost:9001/mcp', headers: {} },
        timeoutMs: 60_000,
      },
    ]);
  });

  it('names the file, the key path and the fix for an unset variable, and keeps the other servers', () => {
    const { servers, diagnostics } = parseServerConfigs(
      {
        opnsense: { command: 'opnsense-mcp', args: ['--url', '${FW_URL}'] },
        remote: { type: 'http', url: 'https://host/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } },
        fine: { command: 'fine-mcp' },
      },
      options(),
    );
    expect(servers.map((server) => server.name)).toEqual(['fine']);
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'config-variable-unset',
        summary: `${file}: mcpServers.opnsense.args[1] uses \${FW_URL}, which is not set in the environment.`,
        detail:
          'Set FW_URL before running Conductor (e.g. `export FW_URL=...`), or give a default: ${FW_URL:-value}.',
        path: 'mcpServers.opnsense.args[1]',
      },
      expect.objectContaining({
        code: 'config-variable-unset',
        path: 'mcpServers.remote.headers.Authorization',
        summary: expect.stringContaining('${TOKEN}'),
      }),
    ]);
  });

  it('reports shape problems with key paths and fixes', () => {
    const { servers, diagnostics } = parseServerConfigs(
      {
        'my.server': { command: 'x' },
        noCommand: { args: ['a'] },
        both: { command: 'x', url: 'http://h' },
        badType: { type: 'websocket', url: 'ws://h' },
        badArgs: { command: 'x', args: ['ok', 3] },
        badUrl: { type: 'http', url: 'ftp://h/mcp' },
        badSettings: { command: 'x', conductor: { timeoutMs: 0, retries: 2 } },
        badAdapter: { command: 'x', conductor: { adapter: 'opnsense' } },
      },
      options(),
    );
    expect(servers).toEqual([]);
    const byPath = Object.fromEntries(diagnostics.map((diagnostic) => [diagnostic.path, diagnostic]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'mcpServers["my.server"]',
        'mcpServers.noCommand',
        'mcpServers.both',
        'mcpServers.badType.type',
        'mcpServers.badArgs.args[1]',
        'mcpServers.badUrl.url',
        'mcpServers.badSettings.conductor.timeoutMs',
        'mcpServers.badSettings.conductor',
        'mcpServers.badAdapter.conductor.adapter',
      ].sort(),
    );
    expect(byPath['mcpServers["my.server"]']).toMatchObject({
      code: 'config-server-name',
      detail: expect.stringContaining('"my-server"'),
    });
    expect(byPath['mcpServers.badArgs.args[1]']!.summary).toMatch(
      /^\/etc\/conductor\/conductor.config.json: /,
    );
    expect(byPath['mcpServers.badArgs.args[1]']!.detail).toContain('list of strings');
    expect(byPath['mcpServers.badSettings.conductor']!.summary).toContain('retries');
    expect(byPath['mcpServers.badAdapter.conductor.adapter']).toMatchObject({
      code: 'config-adapter-unknown',
      detail: expect.stringContaining('native, memory, filesystem'),
    });
    expect(byPath['mcpServers.badType.type']!.detail).toContain('"stdio"');
    for (const diagnostic of diagnostics) expect(diagnostic.severity).toBe('error');
  });

  it('works on what loadConfig keeps as unknown, from YAML too', () => {
    const loaded = parseConfig(
      'mcpServers:\n  files:\n    command: node\n    args: [server.js, "${DATA:-/srv/data}"]\n    conductor: { adapter: filesystem }\n',
      '/home/me/conductor.config.yaml',
    );
    const { servers, diagnostics } = parseServerConfigs(loaded.config.mcpServers, {
      file: loaded.file,
      directory: loaded.directory,
      env: {},
    });
    expect(diagnostics).toEqual([]);
    expect(servers[0]).toMatchObject({
      name: 'files',
      adapter: 'filesystem',
      transport: { args: ['server.js', '/srv/data'], cwd: '/home/me' },
    });
  });
});

describe('importClaudeDesktopServers', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'conductor-import-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const desktopConfig = {
    mcpServers: {
      memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      github: { command: 'npx', args: ['-y', 'github-mcp'], env: { GITHUB_TOKEN: '${GITHUB_TOKEN}' } },
      'web.search': { command: 'search-mcp' },
    },
    globalShortcut: 'Ctrl+Space',
  };

  it('knows where Claude Desktop keeps its config on each system', () => {
    expect(claudeDesktopConfigPath('darwin', {}, '/Users/me')).toBe(
      '/Users/me/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(claudeDesktopConfigPath('linux', {}, '/home/me')).toBe(
      '/home/me/.config/Claude/claude_desktop_config.json',
    );
    expect(claudeDesktopConfigPath('win32', { APPDATA: 'C:/Users/me/AppData/Roaming' }, 'C:/Users/me')).toBe(
      join('C:/Users/me/AppData/Roaming', 'Claude', 'claude_desktop_config.json'),
    );
  });

  it('creates a new conductor config from the Claude Desktop servers, copied as written', async () => {
    const home = join(directory, 'home');
    const source = claudeDesktopConfigPath('linux', {}, home);
    await mkdir(join(home, '.config', 'Claude'), { recursive: true });
    await writeFile(source, JSON.stringify(desktopConfig));
    const target = join(directory, 'project', 'conductor.config.json');

    const result = await importClaudeDesktopServers({ into: target, platform: 'linux', home, env: {} });

    expect(result).toMatchObject({ source, target, created: true, added: ['memory', 'github'] });
    expect(result.skipped).toEqual([
      { name: 'web.search', reason: expect.stringContaining('not a usable server name') },
    ]);
    // The copied entry needs GITHUB_TOKEN: said now, as a warning naming the new file and key path.
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'config-variable-unset',
        path: 'mcpServers.github.env.GITHUB_TOKEN',
        summary: expect.stringContaining(target),
      }),
    ]);
    const written = JSON.parse(await readFile(target, 'utf8'));
    expect(written).toEqual({
      mcpServers: { memory: desktopConfig.mcpServers.memory, github: desktopConfig.mcpServers.github },
    });
  });

  it('merges into an existing YAML config, keeping its entries and comments, and reports what it skipped', async () => {
    const source = join(directory, 'claude_desktop_config.json');
    await writeFile(source, JSON.stringify(desktopConfig));
    const target = join(directory, 'conductor.config.yaml');
    await writeFile(
      target,
      '# my servers\nmcpServers:\n  memory:\n    command: my-memory # mine, keep it\napply:\n  concurrency: 4\n',
    );

    const result = await importClaudeDesktopServers({
      from: source,
      into: target,
      env: { GITHUB_TOKEN: 'x' },
    });

    expect(result.created).toBe(false);
    expect(result.added).toEqual(['github']);
    expect(result.skipped.map((skipped) => skipped.name)).toEqual(['memory', 'web.search']);
    expect(result.skipped[0]!.reason).toContain('already has a server named "memory"');
    expect(result.diagnostics).toEqual([]);
    const text = await readFile(target, 'utf8');
    expect(text).toContain('# my servers');
    expect(text).toContain('command: my-memory # mine, keep it');
    const loaded = parseConfig(text, target);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.config.apply).toEqual({ concurrency: 4 });
    expect(loaded.config.mcpServers).toEqual({
      memory: { command: 'my-memory' },
      github: desktopConfig.mcpServers.github,
    });
  });

  it('reports a missing Claude Desktop config as a diagnostic with the fix', async () => {
    const result = await importClaudeDesktopServers({
      from: join(directory, 'nope.json'),
      into: join(directory, 'conductor.config.json'),
    });
    expect(result.added).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'import-source-unreadable',
        detail: expect.stringContaining('--from-claude-desktop PATH'),
      }),
    ]);
  });
});
