// Connection behaviour over real stdio processes: lazy start, stderr to the log file, a server that cannot start, a
// server that dies (restarted on the next call, given up on after quick failures), timeouts, cancellation, progress.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpConnection } from '../../src/providers/mcp-connection.js';
import { parseServerConfigs } from '../../src/providers/server-config.js';
import { call, FIXTURE_SERVER, gatewayFor, NODE, ROOT, rejectionOf, temporaryDirectory } from './fixtures.js';

let home: Awaited<ReturnType<typeof temporaryDirectory>>;
const opened: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  home = await temporaryDirectory();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
  await home.remove();
});

function connect(entry: Record<string, unknown>, name = 'fixture', maxFailures = 5): McpConnection {
  const { servers, diagnostics } = parseServerConfigs(
    { [name]: entry },
    { directory: ROOT, env: process.env },
  );
  expect(diagnostics).toEqual([]);
  const connection = new McpConnection({
    server: servers[0]!,
    logDirectory: join(home.path, 'logs'),
    restart: { initialDelayMs: 20, maxDelayMs: 80, maxFailures },
  });
  opened.push(connection);
  return connection;
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const logOf = (name: string) => readFile(join(home.path, 'logs', `${name}.log`), 'utf8').catch(() => '');

describe('McpConnection over stdio', () => {
  it('starts only when first needed, writes stderr to the log file and caches the tool list', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    expect(connection.state).toBe('idle');
    expect(connection.pid).toBeUndefined();

    const tools = await connection.listTools();
    expect(connection.state).toBe('connected');
    expect(tools.map((tool) => tool.name)).toEqual([
      'echo',
      'request_header',
      'environment',
      'pid',
      'hang',
      'progress',
      'fail',
      'crash',
    ]);
    expect(await connection.listTools()).toBe(tools);
    expect(connection.serverInfo()).toEqual({ name: 'conductor-fixture', version: '1.0.0' });
    expect(connection.logFile).toBe(join(home.path, 'logs', 'fixture.log'));

    const result = await connection.callTool('echo', { text: 'hello' });
    expect(result.structuredContent).toEqual({ text: 'hello' });
    const log = await logOf('fixture');
    expect(log).toMatch(/started: .*fixture-server\.mjs/);
    expect(log).toContain(`fixture server started (pid ${connection.pid})`);
    expect(connection.stderrTail()).toEqual([`fixture server started (pid ${connection.pid})`]);
  });

  it('returns failed tool results as results (the drivers map them)', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    const result = await connection.callTool('fail', {});
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'fixture failure: the disk is full' }],
    });
  });

  it('restarts a server killed mid-session on the next call, and asks it for its tools again', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    const first = (await connection.callTool('pid', {})).structuredContent?.pid as number;
    const tools = await connection.listTools();
    process.kill(first, 'SIGKILL');
    await waitFor(() => connection.state === 'failed', 'the connection to notice the exit');
    expect(connection.failure).toMatchObject({ code: 'server-crashed', retryable: true });

    const second = (await connection.callTool('pid', {})).structuredContent?.pid as number;
    expect(second).not.toBe(first);
    expect(connection.state).toBe('connected');
    expect(await connection.listTools()).not.toBe(tools);
    const log = await logOf('fixture');
    expect(log.match(/ started: /g)).toHaveLength(2);
    expect(log).toContain('exited unexpectedly');
  });

  it('reports a server that dies during a call as connection-lost with its last stderr, then restarts it', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    const lost = await rejectionOf(connection.callTool('crash', {}));
    expect(lost).toMatchObject({
      code: 'connection-lost',
      retryable: false,
      outcomeUnknown: true,
      server: 'fixture',
    });
    expect(lost.message).toContain('went away during tool crash');
    expect(lost.message).toContain('crashing on purpose');
    expect((await connection.callTool('echo', { text: 'back' })).structuredContent).toEqual({ text: 'back' });
  });

  it('times out a call that never answers, and tells the server to stop', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    await connection.connect();
    const started = Date.now();
    const timedOut = await rejectionOf(connection.callTool('hang', {}, { timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(timedOut).toMatchObject({
      code: 'timeout',
      retryable: false,
      outcomeUnknown: true,
      server: 'fixture',
    });
    expect(timedOut.message).toContain('did not answer within 200 ms');
    await waitFor(
      async () => (await logOf('fixture')).includes('hang cancelled by the client'),
      'the cancellation',
    );
    // The connection is still good.
    expect((await connection.callTool('echo', { text: 'still here' })).structuredContent).toEqual({
      text: 'still here',
    });
  });

  it('takes the server timeout from conductor.timeoutMs', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER], conductor: { timeoutMs: 150 } });
    await connection.connect();
    expect(await rejectionOf(connection.callTool('hang', {}))).toMatchObject({ code: 'timeout' });
  });

  it('cancels a call when its signal aborts, on the server too', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    await connection.connect();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the user pressed Ctrl-C')), 50);
    const cancelled = await rejectionOf(connection.callTool('hang', {}, { signal: controller.signal }));
    expect(cancelled).toMatchObject({ code: 'cancelled', retryable: false });
    expect(cancelled.message).toContain('the user pressed Ctrl-C');
    await waitFor(
      async () => (await logOf('fixture')).includes('hang cancelled by the client'),
      'the cancellation',
    );

    const already = new AbortController();
    already.abort(new Error('too late'));
    expect(
      await rejectionOf(connection.callTool('echo', { text: 'x' }, { signal: already.signal })),
    ).toMatchObject({
      code: 'cancelled',
    });
  });

  it('reports progress as the server sends it', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    const seen: unknown[] = [];
    const result = await connection.callTool(
      'progress',
      { steps: 3 },
      { onProgress: (progress) => seen.push(progress) },
    );
    expect(result.structuredContent).toEqual({ done: 3 });
    expect(seen).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('gives up on a server that fails to start several times in a row, with a clear error', async () => {
    const connection = connect(
      { command: NODE, args: ['-e', "console.error('cannot bind: address in use'); process.exit(1)"] },
      'flaky',
      3,
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failure = await rejectionOf(connection.callTool('echo', { text: 'x' }));
      expect(failure).toMatchObject({ code: 'server-unavailable', server: 'flaky' });
      expect(failure.message).toContain('could not be started');
      expect(failure.message).toContain('cannot bind: address in use');
    }
    const started = Date.now();
    const givenUp = await rejectionOf(connection.callTool('echo', { text: 'x' }));
    expect(Date.now() - started).toBeLessThan(200);
    expect(givenUp).toMatchObject({ code: 'server-unavailable' });
    expect(givenUp.message).toContain('failed 3 times in a row, so Conductor stopped starting it');
    expect(givenUp.message).toContain('cannot bind: address in use');
    expect((await logOf('flaky')).match(/ started: /g)).toHaveLength(3);
    expect(connection.state).toBe('failed');
  });

  it('ends the process on close, and refuses calls afterwards', async () => {
    const connection = connect({ command: NODE, args: [FIXTURE_SERVER] });
    const pid = (await connection.callTool('pid', {})).structuredContent?.pid as number;
    await connection.close();
    expect(connection.state).toBe('closed');
    await waitFor(() => !isRunning(pid), 'the server process to end');
    expect(await rejectionOf(connection.callTool('echo', { text: 'x' }))).toMatchObject({
      code: 'connection-closed',
    });
  });
});

describe('a server that cannot start, next to one that works', () => {
  it('is a server-unavailable error and diagnostic about that server only', async () => {
    const gateway = gatewayFor(
      {
        broken: {
          command: NODE,
          args: ['-e', "console.error('boom: OPNSENSE_KEY is not set'); process.exit(3)"],
        },
        missing: { command: join(home.path, 'no-such-server') },
        widgets: { command: NODE, args: [FIXTURE_SERVER, '--native'] },
      },
      home.path,
    );
    opened.push(gateway);

    const broken = await rejectionOf(gateway.list({ server: 'broken' }, call()));
    expect(broken).toMatchObject({ code: 'server-unavailable', server: 'broken', retryable: false });
    expect(broken.message).toContain('Server "broken" could not be started');
    expect(broken.message).toContain('boom: OPNSENSE_KEY is not set');
    expect(broken.message).toContain(join(home.path, 'logs', 'broken.log'));
    expect(await logOf('broken')).toContain('boom: OPNSENSE_KEY is not set');

    const missing = await rejectionOf(gateway.list({ server: 'missing' }, call()));
    expect(missing).toMatchObject({ code: 'server-unavailable', message: expect.stringContaining('ENOENT') });

    const created = await gateway.create(
      { server: 'widgets', type: 'widget', name: 'w', properties: { size: 1 } },
      call(),
    );
    expect(created.id).toMatch(/^w-/);

    const statuses = await gateway.listServers();
    expect(statuses.map((status) => [status.name, status.state, status.driver])).toEqual([
      ['broken', 'failed', undefined],
      ['missing', 'failed', undefined],
      ['widgets', 'connected', 'native'],
    ]);
    expect(statuses[0]!.reason).toBe('Server "broken" could not be started.');
    expect(statuses[0]!.diagnostic).toMatchObject({
      severity: 'error',
      code: 'server-unavailable',
      summary: 'Server "broken" could not be started.',
      detail: expect.stringContaining('boom: OPNSENSE_KEY is not set'),
    });
    expect(statuses[2]).toMatchObject({ transport: 'stdio', toolCount: 14, types: ['widget'] });

    const catalog = await gateway.describeTypes();
    expect(catalog.types().map((info) => `${info.server}:${info.type}`)).toEqual(['widgets:widget']);
    expect(catalog.diagnostics.map((diagnostic) => diagnostic.code)).toEqual([
      'server-unavailable',
      'server-unavailable',
    ]);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
