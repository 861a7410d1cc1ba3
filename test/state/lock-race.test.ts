// The lock across real processes, on SQLite and PostgreSQL: racers hold it one at a time, and a holder that is killed
// does not keep it. The children run the compiled store (dist, built by the global setup).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConductorError } from '../../src/model/conductor-error.js';
import { openStateStore } from '../../src/state/open-state-store.js';
import { createTestDatabase, dropTestDatabases } from '../support/test-database.js';
import { lockOwner } from './state-store-suite.js';

const RACERS = 4;
const HOLD_MS = 100;
const racer = fileURLToPath(new URL('fixtures/lock-racer.mjs', import.meta.url));
const holder = fileURLToPath(new URL('fixtures/lock-holder.mjs', import.meta.url));

const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  await dropTestDatabases();
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'conductor-lock-race-'));
  directories.push(directory);
  return directory;
}

const backends: Array<[string, () => Promise<string>]> = [
  ['SQLite', async () => `sqlite://${join(await temporaryDirectory(), 'state.sqlite')}`],
  ['PostgreSQL', createTestDatabase],
];

describe.each(backends)('the %s lock across processes', (_name, createStateUrl) => {
  it(`lets ${RACERS} racing processes hold it one at a time, and each gets it`, async () => {
    const url = await createStateUrl();
    const log = join(await temporaryDirectory(), 'lock.log');
    const children = Array.from({ length: RACERS }, () => start(racer, [url, log, String(HOLD_MS)]));
    let exits: Array<{ code: number | null; stderr: string; at: number }> = [];
    try {
      await Promise.all(children.map((child) => child.line()));
      for (const child of children) child.process.stdin?.write('go\n');
      // Each ends on its own: a store that left a connection open would keep its process alive.
      exits = await Promise.all(children.map((child) => child.exit(30_000)));
      expect(
        exits.map((exit) => exit.code),
        exits.map((exit) => exit.stderr).join('\n'),
      ).toEqual(children.map(() => 0));
    } finally {
      for (const child of children) child.process.kill('SIGKILL');
    }

    const intervals = parseIntervals(await readFile(log, 'utf8'));
    expect(intervals.map((interval) => interval.pid).sort()).toEqual(
      children.map((child) => child.process.pid).sort(),
    );
    // Prompt exits: an idle pooled connection left open would hold a process for seconds (pg's idle timeout is 10 s).
    for (const [index, child] of children.entries()) {
      const released = intervals.find((interval) => interval.pid === child.process.pid)!.released;
      expect(exits[index]!.at - released, `pid ${child.process.pid} exit delay`).toBeLessThan(3_000);
    }
    for (const [index, interval] of intervals.entries()) {
      expect(interval.released - interval.acquired).toBeGreaterThanOrEqual(HOLD_MS - 1);
      const next = intervals[index + 1];
      if (next) expect(next.acquired, 'holding periods overlap').toBeGreaterThanOrEqual(interval.released);
    }
    // Every read-modify-write under the lock counted: none was lost to a concurrent one.
    const store = await openStateStore({ url, home: tmpdir() });
    try {
      expect((await store.getDeployment('counter'))?.revision).toBe(RACERS);
      expect(await store.readLock()).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('frees the lock of a holder that was killed', async () => {
    const url = await createStateUrl();
    const child = start(holder, [url]);
    const store = await openStateStore({ url, home: tmpdir() });
    try {
      const owner = JSON.parse(await child.line()) as { pid: number; operation: string };
      expect(owner.pid).toBe(child.process.pid);
      const refused = (await store
        .acquireLock(lockOwner('apply web'))
        .catch((error: unknown) => error)) as ConductorError;
      expect(ConductorError.isInstance(refused)).toBe(true);
      expect(refused.summary).toContain(`pid ${owner.pid}`);
      expect(refused.summary).toContain('apply held-by-child');

      child.process.kill('SIGKILL');
      await child.exit(10_000);
      // SQLite: the owner's pid is gone from this host, so the row is taken over. PostgreSQL: the server ended the
      // dead session and its advisory lock with it.
      const next = lockOwner('recover');
      const lock = await store.acquireLock(next, { timeoutMs: 10_000 });
      expect(await store.readLock()).toEqual(next);
      await lock.release();
    } finally {
      child.process.kill('SIGKILL');
      await store.close();
    }
  });
});

interface Interval {
  pid: number;
  acquired: number;
  released: number;
}

function parseIntervals(text: string): Interval[] {
  const byPid = new Map<number, Partial<Interval>>();
  for (const line of text.trim().split('\n')) {
    const [event, pid, time] = line.split(' ');
    const interval = byPid.get(Number(pid)) ?? { pid: Number(pid) };
    interval[event as 'acquired' | 'released'] = Number(time);
    byPid.set(Number(pid), interval);
  }
  const intervals = [...byPid.values()];
  for (const interval of intervals) {
    expect(interval.acquired, `pid ${interval.pid} acquired`).toBeTypeOf('number');
    expect(interval.released, `pid ${interval.pid} released`).toBeTypeOf('number');
  }
  return (intervals as Interval[]).sort((a, b) => a.acquired - b.acquired);
}

interface Child {
  process: ChildProcess;
  /** The next line the child prints. */
  line(): Promise<string>;
  exit(timeoutMs: number): Promise<{ code: number | null; stderr: string; at: number }>;
}

function start(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiting.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exitedAt = 0;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitedAt = performance.timeOrigin + performance.now();
      resolve(code);
    }),
  );
  return {
    process: child,
    line: async () => {
      for (;;) {
        const end = stdout.indexOf('\n');
        if (end !== -1) {
          const line = stdout.slice(0, end);
          stdout = stdout.slice(end + 1);
          return line;
        }
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${script} exited with ${child.exitCode}:\n${stderr}`);
        await Promise.race([new Promise<void>((resolve) => waiting.push(resolve)), exited]);
      }
    },
    exit: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${script} did not exit within ${timeoutMs} ms:\n${stderr}`)),
          timeoutMs,
        );
      });
      try {
        return { code: await Promise.race([exited, timeout]), stderr, at: exitedAt };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
