// `conductor serve --http 0` as a user runs it: the compiled CLI listens on 127.0.0.1 with the bearer token it keeps
// in $CONDUCTOR_HOME/serve-token. Requests without the token are refused; the SDK's Client with it plans a request.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject } from '../support/cli-project.js';

let project: CliProject;
let child: ChildProcess;
let url: URL;
let stderr = '';

beforeAll(async () => {
  project = new CliProject('conductor-serve-http');
  child = spawn(process.execPath, [bin, 'serve', '--http', '0'], {
    cwd: project.directory,
    env: { PATH: process.env.PATH ?? '', CONDUCTOR_HOME: project.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
}, 40_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(project.directory, { recursive: true, force: true });
});

describe('conductor serve --http', () => {
  it('listens on 127.0.0.1 and keeps its token in CONDUCTOR_HOME, readable only by the user', () => {
    expect(url.hostname).toBe('127.0.0.1');
    const tokenFile = join(project.home, 'serve-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    // Where the token is, never the token itself.
    expect(stderr).toContain(tokenFile);
    expect(stderr).not.toContain(readFileSync(tokenFile, 'utf8').trim());
  });

  it('refuses requests without the token or with a wrong one', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(url, { method: 'POST', headers, body: JSON.stringify(initialize) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer not-the-token' },
      body: JSON.stringify(initialize),
    });
    expect(wrong.status).toBe(401);
  });

  it('serves the tools to a client with the token', async () => {
    const token = readFileSync(join(project.home, 'serve-token'), 'utf8').trim();
    const client = new Client({ name: 'conductor-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('apply_plan');
      const planned = (await client.callTool({
        name: 'plan_request',
        arguments: { text: 'set up wireguard for 3 peers' },
      })) as CallToolResult;
      expect(planned.structuredContent).toMatchObject({ status: 'planned', approval: 'confirmation-code' });
      // Without elicitation, applying is refused until the person types the code.
      const refused = (await client.callTool({
        name: 'apply_plan',
        arguments: { planId: (planned.structuredContent as { planId: string }).planId },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
  }, 30_000);

  it('asks for approval and reports progress on the stream of the tool call itself', async () => {
    const token = readFileSync(join(project.home, 'serve-token'), 'utf8').trim();
    const client = new Client(
      { name: 'conductor-test', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    const prompts: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      prompts.push(String(request.params.message));
      return { action: 'accept', content: { approve: true } };
    });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      const planned = (await client.callTool({
        name: 'plan_request',
        arguments: { text: 'iot network on vlan 33 with mqtt' },
      })) as CallToolResult;
      const planId = (planned.structuredContent as { planId: string }).planId;
      const progress: Progress[] = [];
      const applied = (await client.callTool({ name: 'apply_plan', arguments: { planId } }, undefined, {
        onprogress: (update) => progress.push(update),
      })) as CallToolResult;
      expect(applied.structuredContent).toMatchObject({ status: 'succeeded', deployment: 'iot' });
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toMatch(/apply "iot"\?/);
      expect(progress.length).toBe((applied.structuredContent as { steps: unknown[] }).steps.length);
      expect(project.inventory().servers.flatMap((server) => server.resources).length).toBeGreaterThan(0);
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
  }, 30_000);
});
