// Crash safety: `conductor apply` runs in a child process against a provider whose holdings live in a file, and is
// killed with SIGKILL at a seeded random point (counted in progress lines, plus a few milliseconds, so kills land
// before, during and between provider calls and journal writes). `conductor recover` must then leave state equal to
// what the provider holds, with the apply either fully rolled back or (when it had finished) fully applied.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../bench/random.js';
import { FakeGateway } from '../../src/execute/fake-gateway.js';
import type { ResourceRecord } from '../../src/model/resource-record.js';
import { openStateStore } from '../../src/state/open-state-store.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = join(root, 'test/fixtures/crash/cli-with-fake-gateway.mjs');
const LATENCY_MS = 30;
const RUNS = 20;

const version1 = {
  name: 'lab',
  resources: [
    { server: 'net', type: 'vlan', name: 'v10', properties: { tag: 10 } },
    { server: 'net', type: 'vlan', name: 'v20', properties: { tag: 20 } },
    {
      server: 'net',
      type: 'dhcp',
      name: 'd10',
      properties: { range: '10.0.10.0/24', vlan: '${net:vlan:v10.id}' },
    },
    {
      server: 'app',
      type: 'container',
      name: 'web',
      properties: { image: 'web:1', network: '${net:vlan:v10.id}' },
    },
    { server: 'app', type: 'container', name: 'db', properties: { image: 'db:1' } },
    { server: 'app', type: 'volume', name: 'data', properties: { sizeGb: 10 } },
    { server: 'net', type: 'rule', name: 'r1', properties: { port: 80, target: '${app:container:web.id}' } },
  ],
};

/** Updates, deletes and creates, with references to outputs only known after apply. */
const version2 = {
  name: 'lab',
  resources: [
    { server: 'net', type: 'vlan', name: 'v10', properties: { tag: 10 } },
    {
      server: 'net',
      type: 'dhcp',
      name: 'd10',
      properties: { range: '10.0.10.0/25', vlan: '${net:vlan:v10.id}' },
    },
    {
      server: 'app',
      type: 'container',
      name: 'web',
      properties: { image: 'web:2', network: '${net:vlan:v10.id}' },
    },
    { server: 'app', type: 'container', name: 'db', properties: { image: 'db:1' } },
    { server: 'net', type: 'rule', name: 'r1', properties: { port: 80, target: '${app:container:web.id}' } },
    { server: 'net', type: 'vlan', name: 'v30', properties: { tag: 30 } },
    {
      server: 'app',
      type: 'container',
      name: 'cache',
      properties: { image: 'redis:7', network: '${net:vlan:v30.id}' },
    },
    {
      server: 'net',
      type: 'rule',
      name: 'r2',
      properties: { port: 6379, target: '${app:container:cache.id}' },
    },
    {
      server: 'app',
      type: 'container',
      name: 'worker',
      properties: { image: 'worker:1', network: '${net:vlan:v10.id}' },
    },
  ],
};

describe('crash during apply, then recover', () => {
  let base: string;
  let before: Holding[];

  /** A copy of the state and provider files after version 1 was applied. */
  function freshCopy(label: string): { directory: string; stateFile: string; providerFile: string } {
    const directory = mkdtempSync(join(base, `${label}-`));
    for (const file of readdirSync(base))
      if (file.startsWith('state.sqlite') || file.endsWith('.json'))
        copyFileSync(join(base, file), join(directory, file));
    return {
      directory,
      stateFile: join(directory, 'state.sqlite'),
      providerFile: join(directory, 'provider.json'),
    };
  }

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'conductor-crash-'));
    writeFileSync(join(base, 'v1.json'), JSON.stringify(version1));
    writeFileSync(join(base, 'v2.json'), JSON.stringify(version2));
    const providerFile = join(base, 'provider.json');
    const stateArguments = ['--state', join(base, 'state.sqlite')];
    const first = await runCli(base, providerFile, 0, ['apply', '-f', 'v1.json', '--yes', ...stateArguments]);
    expect(first.code, first.output).toBe(0);
    before = holdings(providerFile);
    expect(before).toHaveLength(7);
  });

  it(`leaves state equal to the provider after SIGKILL at ${RUNS} seeded points`, async () => {
    const random = new Random(20261122);
    const outcomes = { rolledBack: 0, finished: 0, untouched: 0 };
    for (let run = 0; run < RUNS; run++) {
      const { directory, stateFile, providerFile } = freshCopy(`run-${run}`);

      // 16 progress lines in a full run (a start and a finish per step): a count beyond that lets the apply finish.
      const killAfterLines = random.integer(0, 19);
      const extraDelayMs = random.integer(0, LATENCY_MS * 1.5);
      const killed = await runCli(
        directory,
        providerFile,
        LATENCY_MS,
        ['apply', '-f', 'v2.json', '--yes', '--state', stateFile],
        {
          killAfterLines,
          extraDelayMs,
        },
      );
      const context = `run ${run} (kill after ${killAfterLines} lines + ${extraDelayMs} ms):\n${killed.output}`;

      const recovered = await runCli(directory, providerFile, 0, ['recover', '--yes', '--state', stateFile]);
      expect(recovered.code, `${context}\nrecover:\n${recovered.output}`).toBe(0);

      const provider = holdings(providerFile);
      const state = await recordedState(stateFile);
      expect(state, `${context}\nrecover:\n${recovered.output}`).toEqual(provider);

      const shape = (items: Holding[]) => items.map(({ id: _id, ...rest }) => rest);
      // The apply is committed once its record says so: a kill after that (while it prints or exits) leaves a finished
      // apply, which recover must leave alone. Before that, recover must roll it back.
      if (await secondApplyCommitted(stateFile)) {
        outcomes.finished++;
        expect(provider.map((item) => item.name).sort()).toEqual(
          version2.resources.map((item) => item.name).sort(),
        );
      } else {
        // Rolled back: what the provider held before, ids aside (a re-created resource gets a new id).
        expect(withResolvedIds(shape(provider)), context).toEqual(withResolvedIds(shape(before)));
        if (recovered.output.includes('Nothing to recover')) outcomes.untouched++;
        else outcomes.rolledBack++;
      }

      const again = await runCli(directory, providerFile, 0, ['recover', '--yes', '--state', stateFile]);
      expect(again.output).toContain('Nothing to recover');
      expect(holdings(providerFile)).toEqual(provider);
    }
    // The seeds must actually exercise recovery, not only clean runs.
    expect(outcomes.rolledBack).toBeGreaterThanOrEqual(8);
  }, 300_000);

  it('resumes an interrupted apply: reconcile, plan again, apply the rest', async () => {
    const { directory, stateFile, providerFile } = freshCopy('resume');
    const killed = await runCli(
      directory,
      providerFile,
      LATENCY_MS,
      ['apply', '-f', 'v2.json', '--yes', '--state', stateFile],
      {
        killAfterLines: 9,
        extraDelayMs: 5,
      },
    );
    expect(killed.code).not.toBe(0);
    const resumed = await runCli(directory, providerFile, 0, [
      'recover',
      '--resume',
      '--yes',
      '--state',
      stateFile,
    ]);
    expect(resumed.code, `${killed.output}\nrecover:\n${resumed.output}`).toBe(0);
    expect(resumed.output).toContain('reconcile: keep what it did');
    expect(resumed.output).toContain('Resuming lab');
    const provider = holdings(providerFile);
    expect(provider.map((item) => item.name).sort()).toEqual(
      version2.resources.map((item) => item.name).sort(),
    );
    expect(await recordedState(stateFile)).toEqual(provider);
    const web = provider.find((item) => item.name === 'web')!;
    expect(web.properties.image).toBe('web:2');
  }, 60_000);
});

interface Holding {
  server: string;
  type: string;
  name: string;
  id: string;
  properties: Record<string, unknown>;
}

function holdings(file: string): Holding[] {
  const snapshot = new FakeGateway({ file }).snapshot();
  return Object.entries(snapshot)
    .flatMap(([server, resources]) =>
      resources.map((item) => ({
        server,
        type: item.type,
        name: item.name,
        id: item.id,
        properties: item.properties,
      })),
    )
    .sort(byKey);
}

/** Whether the deployment's last apply is a later one than version 1's, and it recorded success. */
async function secondApplyCommitted(file: string): Promise<boolean> {
  const store = await openStateStore({ url: file, home: tmpdir() });
  try {
    const lastApply = (await store.getDeployment('lab'))?.lastApply;
    const apply = lastApply ? await store.getApply(lastApply) : undefined;
    return apply !== undefined && apply.status === 'succeeded' && apply.summary.create === version2Creates;
  } finally {
    await store.close();
  }
}

/** Version 2 creates four resources; version 1 created seven: tells the two applies apart. */
const version2Creates = 4;

async function recordedState(file: string): Promise<Holding[]> {
  const store = await openStateStore({ url: file, home: tmpdir() });
  try {
    return (await store.listResources())
      .map((record: ResourceRecord) => ({
        server: record.server,
        type: record.type,
        name: record.name,
        id: record.id ?? '',
        properties: record.properties,
      }))
      .sort(byKey);
  } finally {
    await store.close();
  }
}

/** Properties that hold another resource's id name it by type and name instead, so new ids compare equal. */
function withResolvedIds(items: Array<Omit<Holding, 'id'>>): unknown[] {
  return items.map((item) => ({
    ...item,
    properties: Object.fromEntries(
      Object.entries(item.properties).map(([key, value]) => [
        key,
        typeof value === 'string' && /^(net|app)-\d+$/.test(value) ? '(id)' : value,
      ]),
    ),
  }));
}

function byKey(a: Holding, b: Holding): number {
  const left = `${a.server}/${a.type}/${a.name}`;
  const right = `${b.server}/${b.type}/${b.name}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

interface RunResult {
  code: number | null;
  output: string;
}

function runCli(
  cwd: string,
  providerFile: string,
  latencyMs: number,
  argv: string[],
  kill?: { killAfterLines: number; extraDelayMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const process_: ChildProcess = spawn(
      process.execPath,
      [child, providerFile, String(latencyMs), ...argv],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let progressLines = 0;
    let armed = false;
    const arm = () => {
      if (armed || !kill) return;
      armed = true;
      setTimeout(() => process_.kill('SIGKILL'), kill.extraDelayMs);
    };
    if (kill && kill.killAfterLines === 0) arm();
    process_.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      progressLines += (text.match(/^ {2}[…✓✗]/gmu) ?? []).length;
      if (kill && progressLines >= kill.killAfterLines) arm();
    });
    process_.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    process_.on('error', reject);
    process_.on('close', (code) => resolve({ code, output }));
  });
}
