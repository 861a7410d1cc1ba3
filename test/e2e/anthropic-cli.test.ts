// The Claude path through the compiled CLI: the real SDK inside `conductor` talks to a local fake Messages API
// (ANTHROPIC_BASE_URL), so the wiring from the command line to the request and back to a plan is what runs.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject } from '../support/cli-project.js';
import {
  type FakeMessagesServer,
  startFakeMessagesServer,
  toolCall,
} from '../support/fake-messages-server.js';

const run = promisify(execFile);
const KEY = 'sk-ant-test-key-never-printed';

describe('conductor with --model anthropic', () => {
  let server: FakeMessagesServer;
  let project: CliProject;

  beforeAll(async () => {
    server = await startFakeMessagesServer();
    project = new CliProject('conductor-anthropic');
  });
  afterAll(() => server.close());

  async function conductor(args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        cwd: project.directory,
        env: {
          ...process.env,
          NO_COLOR: '1',
          CONDUCTOR_HOME: project.home,
          ANTHROPIC_API_KEY: KEY,
          ANTHROPIC_BASE_URL: server.url,
        },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('is the default when ANTHROPIC_API_KEY is set, and plans what Claude chose', async () => {
    server.enqueue(toolCall('game-server', { game: 'valheim', players: 6 }));
    const result = await conductor(['plan', 'valheim for six of us']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Claude (claude-sonnet-5-5)');
    expect(result.stderr).toContain('ANTHROPIC_API_KEY is set');
    expect(result.stdout).toContain('docker:container:valheim');
    const [request] = server.messageRequests;
    const body = request!.body as { tools: Array<{ name: string }>; messages: unknown[] };
    expect(body.tools.map((tool) => tool.name)).toContain('game-server');
    expect(JSON.stringify(body.messages)).toContain('valheim for six of us');
    // The key is sent to the API and nowhere else.
    expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
  });

  it('records the tokens a request cost in the audit log, with what was applied', async () => {
    server.enqueue(
      toolCall('firewall-rule', { action: 'block', protocol: 'udp', port: 53, interface: 'lan' }),
    );
    const result = await conductor(['apply', 'block dns on the lan', '--yes']);
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    const file = join(project.home, 'audit.log');
    expect(existsSync(file)).toBe(true);
    const entry = JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!) as Record<
      string,
      unknown
    >;
    expect(entry).toMatchObject({
      model: 'claude-sonnet-5-5',
      result: 'succeeded',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      intent: { kind: 'deploy', pattern: 'firewall-rule' },
    });
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
  });

  it('reports an API failure with its code and no stack trace or key', async () => {
    server.enqueue({
      type: 'error',
      status: 401,
      errorType: 'authentication_error',
      message: `bad key ${KEY}`,
    });
    const result = await conductor(['plan', 'deploy minecraft']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Error: .*(key|authenticat)/i);
    expect(result.stderr).not.toContain(KEY);
    expect(result.stderr).not.toContain('    at ');
  });
});
