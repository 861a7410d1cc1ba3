// The smoke test a user runs against `conductor serve`: the MCP Inspector's CLI starts `node bin/conductor.js serve`
// over stdio on a fresh CONDUCTOR_HOME (so the built-in sandbox), lists the tools and calls one. Nothing here speaks
// MCP itself: what the inspector prints is what the user would see.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, CliProject } from '../support/cli-project.js';

const SERVE_TOOLS = [
  'list_patterns',
  'plan_request',
  'plan_deployment',
  'apply_plan',
  'destroy_deployment',
  'list_deployments',
  'get_state',
  'inventory',
  'explain_plan',
  'recover',
];

/** The `mcp-inspector-cli` bin (`build/cli.js`), as `npx mcp-inspector-cli` runs it. */
const inspectorCli = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli');
const INSPECTOR_TIMEOUT_MS = 60_000;

interface InspectorRun {
  code: number | null;
  stdout: string;
  output: string;
}

interface ListedTool {
  name: string;
  inputSchema?: { type?: string };
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}

interface ToolCallResult {
  content?: Array<{ type: string; text?: string }>;
  isError?: boolean;
}

let project: CliProject;
let workingDirectory: string;

beforeAll(() => {
  project = new CliProject('conductor-inspector');
  // inspector-cli 1.0.3 checks for `../package.json` relative to its working directory, then imports that path
  // relative to its own module: it only starts from a directory whose parent holds a package.json.
  project.write('package.json', { private: true });
  workingDirectory = join(project.directory, 'work');
  mkdirSync(workingDirectory);
});

afterAll(() => {
  rmSync(project.directory, { recursive: true, force: true });
});

/**
 * `mcp-inspector-cli --cli node bin/conductor.js serve <inspector options>`. The inspector starts a process of its
 * own, which starts the server: all three run in one process group, killed as a whole on timeout or at the end, so a
 * hung server leaves nothing behind.
 */
function inspect(inspectorOptions: string[]): Promise<InspectorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [inspectorCli, '--cli', process.execPath, bin, 'serve', ...inspectorOptions],
      {
        cwd: workingDirectory,
        env: { ...process.env, NO_COLOR: '1', CONDUCTOR_HOME: project.home, CONDUCTOR_SANDBOX_FAULTS: '' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, INSPECTOR_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      const note = timedOut ? `\n(inspector killed after ${INSPECTOR_TIMEOUT_MS / 1000} s)` : '';
      resolve({ code, stdout, output: `${stdout}\n--- stderr ---\n${stderr}${note}` });
    });
  });
}

/**
 * The inspector prints the method's result as one JSON document on stdout. It drops the server's stderr, so when it
 * fails, what `conductor serve --help` says is added to the message (an unknown command, a build that is missing).
 */
function parseResult<T>(run: InspectorRun): T {
  if (run.code !== 0) {
    const help = project.run(['serve', '--help']);
    expect(
      run.code,
      `${run.output}\n--- conductor serve --help (exit ${help.code}) ---\n${help.output}`,
    ).toBe(0);
  }
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`The inspector's stdout is not JSON:\n${run.output}`);
  }
}

describe('conductor serve under the MCP Inspector CLI', () => {
  it('lists the ten tools, with apply_plan destructive and list_deployments read-only', async () => {
    const run = await inspect(['--method', 'tools/list']);
    const { tools } = parseResult<{ tools: ListedTool[] }>(run);

    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(SERVE_TOOLS));
    for (const tool of tools) expect(tool.inputSchema?.type, tool.name).toBe('object');

    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('apply_plan')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('list_deployments')?.annotations?.readOnlyHint).toBe(true);
  }, 90_000);

  it('calls list_patterns and gets the built-in patterns, game-server among them', async () => {
    const run = await inspect(['--method', 'tools/call', '--tool-name', 'list_patterns']);
    const result = parseResult<ToolCallResult>(run);

    expect(result.isError ?? false, run.output).toBe(false);
    const text = (result.content ?? []).map((part) => part.text ?? '').join('\n');
    expect(text).toContain('game-server');
  }, 90_000);
});
