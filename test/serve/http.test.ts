// `conductor serve --http` as a client meets it: a real listener on 127.0.0.1, raw HTTP requests for the refusals
// (token, Host, Origin, sessions, body size) and the MCP SDK's own Streamable HTTP client for the sessions that work.

import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type ClientRequest, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type HttpServeHandle, startHttpServe } from '../../src/serve/http.js';
import { loadOrCreateServeToken, tokenMatches } from '../../src/serve/token.js';

const TOKEN = 'a'.repeat(20) + 'B'.repeat(23);

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '0' } },
};

function createEchoServer(): McpServer {
  const server = new McpServer({ name: 'echo-test', version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text.', inputSchema: { text: z.string() } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely by tests.
  json: any;
}

/** node:http rather than fetch, so the Host header and the body can be anything. */
function raw(
  handle: HttpServeHandle,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: unknown } = {},
): Promise<RawResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: handle.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/mcp',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...options.headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const authorized = { Authorization: `Bearer ${TOKEN}` };

function connectClient(handle: HttpServeHandle, token = TOKEN) {
  const transport = new StreamableHTTPClientTransport(new URL(handle.url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'http-test', version: '0.0.0' });
  return { client, transport, connected: client.connect(transport) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startHttpServe', () => {
  let handle: HttpServeHandle;
  let servers: McpServer[];
  let logLines: string[];
  const clients: Client[] = [];

  beforeEach(async () => {
    servers = [];
    logLines = [];
    handle = await startHttpServe({
      port: 0,
      token: TOKEN,
      createServer: () => {
        const server = createEchoServer();
        servers.push(server);
        return server;
      },
      log: (line) => logLines.push(line),
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await handle.close();
    // Whatever happened, the token never reached the diagnostics.
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(handle.host).toBe('127.0.0.1');
    expect(new URL(handle.url).hostname).toBe('127.0.0.1');
    expect(new URL(handle.url).pathname).toBe('/mcp');
    expect(handle.port).toBeGreaterThan(0);
    expect(await canConnect('127.0.0.1', handle.port)).toBe(true);
    const elsewhere = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal)
      .map((address) => address!.address);
    for (const address of ['::1', ...elsewhere]) expect(await canConnect(address, handle.port)).toBe(false);
  });

  describe('refuses requests without the token', () => {
    it('POST without Authorization: 401 with WWW-Authenticate and a JSON-RPC error saying how to fix it', async () => {
      const response = await raw(handle, { body: INITIALIZE });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="conductor"');
      expect(response.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 }, id: null });
      expect(response.json.error.message).toContain('$CONDUCTOR_HOME/serve-token');
      expect(response.json.error.message).toContain('Authorization: Bearer');
      expect(servers).toHaveLength(0);
    });

    it('a wrong token, of another length or of the same length: 401', async () => {
      for (const wrong of ['nope', `${TOKEN.slice(0, -1)}C`, `${TOKEN}x`]) {
        const response = await raw(handle, {
          body: INITIALIZE,
          headers: { Authorization: `Bearer ${wrong}` },
        });
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="conductor"/);
        expect(response.json.error.message).toContain('does not match');
      }
      const otherScheme = await raw(handle, {
        body: INITIALIZE,
        headers: { Authorization: `Basic ${TOKEN}` },
      });
      expect(otherScheme.status).toBe(401);
      expect(servers).toHaveLength(0);
    });

    it('GET and DELETE without the token: 401, even for paths other than /mcp', async () => {
      for (const method of ['GET', 'DELETE']) {
        const response = await raw(handle, { method, headers: { 'mcp-session-id': 'anything' } });
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="conductor"/);
      }
      expect((await raw(handle, { method: 'GET', path: '/elsewhere' })).status).toBe(401);
    });

    it('the SDK client with a wrong token cannot connect', async () => {
      const { client, connected } = connectClient(handle, 'x'.repeat(TOKEN.length));
      clients.push(client);
      // The SDK puts the status in `code` and our body, the how-to-fix message, in the error's message.
      await expect(connected).rejects.toMatchObject({
        code: 401,
        message: expect.stringContaining('serve-token'),
      });
      expect(servers).toHaveLength(0);
    });
  });

  describe('refuses DNS rebinding', () => {
    it('a Host that is not 127.0.0.1 or localhost at this port: 403', async () => {
      for (const host of ['evil.example', `evil.example:${handle.port}`, `127.0.0.1:${handle.port + 1}`]) {
        const response = await raw(handle, { body: INITIALIZE, headers: { ...authorized, Host: host } });
        expect(response.status).toBe(403);
        expect(response.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
      }
      const localhost = await raw(handle, {
        body: INITIALIZE,
        headers: { ...authorized, Host: `localhost:${handle.port}` },
      });
      expect(localhost.status).toBe(200);
    });

    it('a foreign Origin: 403; a local one is accepted', async () => {
      for (const origin of ['https://evil.example', 'null', `http://evil.example:${handle.port}`]) {
        const response = await raw(handle, { body: INITIALIZE, headers: { ...authorized, Origin: origin } });
        expect(response.status).toBe(403);
      }
      const local = await raw(handle, {
        body: INITIALIZE,
        headers: { ...authorized, Origin: 'http://localhost:3000' },
      });
      expect(local.status).toBe(200);
    });
  });

  describe('with the token', () => {
    it('the SDK client connects, lists tools and calls echo', async () => {
      const { client, transport, connected } = connectClient(handle);
      clients.push(client);
      await connected;
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(['echo']);
      const result = await client.callTool({ name: 'echo', arguments: { text: 'hello over http' } });
      expect(result.content).toEqual([{ type: 'text', text: 'hello over http' }]);
      expect(logLines.some((line) => line.includes(`session ${transport.sessionId} opened`))).toBe(true);
    });

    it('two clients get separate sessions; ending one leaves the other working', async () => {
      const first = connectClient(handle);
      const second = connectClient(handle);
      clients.push(first.client, second.client);
      await Promise.all([first.connected, second.connected]);
      expect(first.transport.sessionId).toBeDefined();
      expect(first.transport.sessionId).not.toBe(second.transport.sessionId);
      expect(servers).toHaveLength(2);

      const endedSession = first.transport.sessionId!;
      await first.transport.terminateSession();
      await first.client.close();
      expect(servers.map((server) => server.isConnected())).toEqual([false, true]);
      const stale = await raw(handle, {
        method: 'POST',
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        headers: { ...authorized, 'mcp-session-id': endedSession, 'mcp-protocol-version': '2025-06-18' },
      });
      expect(stale.status).toBe(404);
      expect(stale.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 }, id: null });

      const result = await second.client.callTool({ name: 'echo', arguments: { text: 'still here' } });
      expect(result.content).toEqual([{ type: 'text', text: 'still here' }]);
    });

    it('close() ends open sessions and the listener', async () => {
      const { client, connected } = connectClient(handle);
      clients.push(client);
      await connected;
      await handle.close();
      expect(servers[0]!.isConnected()).toBe(false);
      expect(await canConnect('127.0.0.1', handle.port)).toBe(false);
      await handle.close(); // twice is fine
    });

    it('routes by session: unknown id 404, no id on a non-initialize request 400, other paths 404', async () => {
      const unknown = await raw(handle, {
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        headers: { ...authorized, 'mcp-session-id': 'no-such-session' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe(-32001);

      const missing = await raw(handle, {
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        headers: authorized,
      });
      expect(missing.status).toBe(400);
      expect(missing.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });

      for (const method of ['GET', 'DELETE']) {
        const response = await raw(handle, { method, headers: authorized });
        expect(response.status).toBe(400);
      }

      const elsewhere = await raw(handle, { path: '/other', body: INITIALIZE, headers: authorized });
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.json).toMatchObject({ jsonrpc: '2.0', error: {}, id: null });
      expect(servers).toHaveLength(0);
    });

    it('refuses bodies that are not JSON (400) or larger than 4 MB (413)', async () => {
      /** The status of a POST to /mcp; `send` writes the body (or only the headers). */
      const statusOf = (headers: Record<string, string | number>, send: (outgoing: ClientRequest) => void) =>
        new Promise<number>((resolve, reject) => {
          const outgoing = httpRequest(
            {
              host: '127.0.0.1',
              port: handle.port,
              method: 'POST',
              path: '/mcp',
              agent: false,
              headers: { ...authorized, 'Content-Type': 'application/json', ...headers },
            },
            (incoming) => {
              incoming.resume();
              resolve(incoming.statusCode ?? 0);
            },
          );
          outgoing.on('error', reject);
          send(outgoing);
        });
      expect(await statusOf({}, (outgoing) => outgoing.end('{not json'))).toBe(400);
      // The declared length is enough to refuse: the body is never sent.
      expect(
        await statusOf({ 'Content-Length': 5 * 1024 * 1024 }, (outgoing) => outgoing.flushHeaders()),
      ).toBe(413);
    });

    it('a failing server factory is a 500 JSON-RPC error, not a crash', async () => {
      const failing = await startHttpServe({
        port: 0,
        token: TOKEN,
        createServer: () => {
          throw new Error('no server today');
        },
      });
      try {
        const response = await raw(failing, { body: INITIALIZE, headers: authorized });
        expect(response.status).toBe(500);
        expect(response.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32603 }, id: null });
      } finally {
        await failing.close();
      }
    });

    it('closes a session left idle (no request, no open stream) after the idle timeout', async () => {
      const opened: McpServer[] = [];
      const short = await startHttpServe({
        port: 0,
        token: TOKEN,
        idleTimeoutMs: 150,
        createServer: () => {
          const server = createEchoServer();
          opened.push(server);
          return server;
        },
      });
      try {
        const initialized = await raw(short, { body: INITIALIZE, headers: authorized });
        const sessionId = initialized.headers['mcp-session-id'] as string;
        expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
        const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
        const withSession = {
          ...authorized,
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
        };
        expect((await raw(short, { body: ping, headers: withSession })).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect((await raw(short, { body: ping, headers: withSession })).status).toBe(404);
        expect(opened[0]!.isConnected()).toBe(false);
      } finally {
        await short.close();
      }
    });
  });
});

describe('serve token', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'conductor-serve-token-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is created with mode 0600 in a home that does not exist yet, then reused', async () => {
    const home = join(root, 'home');
    const first = await loadOrCreateServeToken(home);
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(home, 'serve-token'));
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.path, 'utf8')).trim()).toBe(first.token);

    const second = await loadOrCreateServeToken(home);
    expect(second).toEqual({ token: first.token, path: first.path, created: false });
  });

  it('is regenerated when the file holds no plausible token', async () => {
    const path = join(root, 'serve-token');
    for (const content of ['', '\n', 'short-token\n']) {
      await writeFile(path, content);
      const loaded = await loadOrCreateServeToken(root);
      expect(loaded.created).toBe(true);
      expect(loaded.token.length).toBeGreaterThanOrEqual(32);
      expect((await readFile(path, 'utf8')).trim()).toBe(loaded.token);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
  });

  it('keeps a token the user wrote, trimmed, and makes its file private', async () => {
    const path = join(root, 'serve-token');
    await writeFile(path, `  ${TOKEN}\n`);
    await chmod(path, 0o644);
    expect(await loadOrCreateServeToken(root)).toEqual({ token: TOKEN, path, created: false });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('tokenMatches compares exactly, whatever the lengths', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, `${TOKEN.slice(0, -1)}C`)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN.slice(1))).toBe(false);
    expect(tokenMatches(TOKEN, `${TOKEN} `)).toBe(false);
    expect(tokenMatches(TOKEN, '')).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
    expect(tokenMatches('é'.repeat(2), 'ab')).toBe(false); // same string length, different byte length
  });
});
