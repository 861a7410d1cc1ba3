// HTTP servers: Streamable HTTP (`type: "http"`), the fallback to SSE for a server that only speaks the older
// transport, `type: "sse"` directly, and a server that is not there. The fixture servers run as their own processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpGateway } from '../../src/providers/mcp-gateway.js';
import { call, FIXTURE_SERVER, gatewayFor, NODE, rejectionOf, temporaryDirectory } from './fixtures.js';

interface HttpFixture {
  port: number;
  process: ChildProcess;
}

async function startHttpFixture(mode: 'http' | 'sse'): Promise<HttpFixture> {
  const child = spawn(NODE, [FIXTURE_SERVER, mode, '--native'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${mode} fixture exited with ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return { port, process: child };
}

async function stop(fixture: HttpFixture | undefined): Promise<void> {
  if (!fixture || fixture.process.exitCode !== null || fixture.process.signalCode !== null) return;
  const exited = new Promise((resolve) => fixture.process.once('exit', resolve));
  fixture.process.kill();
  await exited;
}

let home: Awaited<ReturnType<typeof temporaryDirectory>>;
let streamable: HttpFixture;
let sseOnly: HttpFixture;
let gateway: McpGateway;

beforeAll(async () => {
  home = await temporaryDirectory();
  [streamable, sseOnly] = await Promise.all([startHttpFixture('http'), startHttpFixture('sse')]);
  gateway = gatewayFor(
    {
      remote: {
        type: 'http',
        url: `http://127.0.0.1:${streamable.port}/mcp`,
        headers: { 'X-Token': 'secret' },
      },
      legacy: { type: 'http', url: `http://127.0.0.1:${sseOnly.port}/sse` },
      direct: { type: 'sse', url: `http://127.0.0.1:${sseOnly.port}/sse` },
      gone: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
    },
    home.path,
  );
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([stop(streamable), stop(sseOnly)]);
  await home.remove();
});

describe('HTTP transports', () => {
  it('speaks Streamable HTTP to a server that has it', async () => {
    const created = await gateway.create(
      { server: 'remote', type: 'widget', name: 'over-http', properties: { size: 2 } },
      call(),
    );
    expect(created).toEqual({ id: expect.stringMatching(/^w-/), outputs: { serial: `SN-${created.id}` } });
    expect(await gateway.read({ server: 'remote', type: 'widget', id: created.id }, call())).toMatchObject({
      name: 'over-http',
      properties: { size: 2 },
    });
    const connection = gateway.connection('remote')!;
    expect(connection.transport).toBe('http');
    // Configured headers go with every request.
    const header = await connection.callTool('request_header', { name: 'X-Token' });
    expect(header.structuredContent).toEqual({ value: 'secret' });
  });

  it('falls back to SSE for a server that refuses Streamable HTTP', async () => {
    const connection = gateway.connection('legacy')!;
    const echoed = await connection.callTool('echo', { text: 'from the past' });
    expect(echoed.structuredContent).toEqual({ text: 'from the past' });
    expect(connection.transport).toBe('sse');
    const seen: number[] = [];
    await connection.callTool(
      'progress',
      { steps: 2 },
      { onProgress: (progress) => seen.push(progress.progress) },
    );
    expect(seen).toEqual([1, 2]);
    // Native calls work over it like any other transport.
    await gateway.create({ server: 'legacy', type: 'widget', name: 'over-sse', properties: {} }, call());
    expect((await gateway.list({ server: 'legacy' }, call())).map((widget) => widget.name)).toContain(
      'over-sse',
    );
  });

  it('goes to SSE directly with type "sse"', async () => {
    const statuses = await gateway.listServers({ servers: ['direct'] });
    expect(statuses).toEqual([
      expect.objectContaining({
        name: 'direct',
        transport: 'sse',
        state: 'connected',
        driver: 'native',
        types: ['widget'],
      }),
    ]);
  });

  it('drops the connection to an HTTP server that went away, and connects afresh on the next call', async () => {
    const connection = gateway.connection('remote')!;
    await connection.callTool('echo', { text: 'before' });
    await stop(streamable);
    const lost = await rejectionOf(connection.callTool('echo', { text: 'after' }));
    expect(lost).toMatchObject({
      code: 'connection-lost',
      retryable: false,
      outcomeUnknown: true,
      server: 'remote',
    });
    expect(connection.state).toBe('failed');
    // The next call tries to connect again rather than reusing the dead session.
    const unavailable = await rejectionOf(connection.callTool('echo', { text: 'again' }));
    expect(unavailable).toMatchObject({
      code: 'server-unavailable',
      message: expect.stringContaining('could not be started'),
    });
  });

  it('reports an HTTP server that is not there as unavailable, naming both attempts', async () => {
    const failure = await rejectionOf(gateway.list({ server: 'gone' }, call()));
    expect(failure).toMatchObject({ code: 'server-unavailable', server: 'gone' });
    expect(failure.message).toContain('http://127.0.0.1:9/mcp (Streamable HTTP, then SSE)');
    expect(failure.message).toMatch(/Streamable HTTP failed .*and so did SSE/);
    expect(failure.message).toContain('Check that the server is running');
  });
});
