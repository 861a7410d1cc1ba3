// The one specification every StateStore meets, run against memory, SQLite and PostgreSQL (state-store.test.ts).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ConductorError } from '../../src/model/conductor-error.js';
import type { ResourceRecord } from '../../src/model/resource-record.js';
import {
  type ApplyRecord,
  applyRecordSchema,
  type DeploymentRecord,
  deploymentRecordSchema,
  type JournalEntry,
  journalEntrySchema,
  type LockOwner,
  type RevisionRecord,
  revisionRecordSchema,
} from '../../src/state/records.js';
import type { StateStore } from '../../src/state/state-store.js';

export interface StateStoreSubject {
  /** Makes a new, empty state and returns how to open it; opening again reaches the same state. */
  createState(): Promise<() => Promise<StateStore>>;
  /** Whether the state outlives its store (not memory: each memory store is its own state). */
  persistent?: boolean;
  /** Takes over a lock whose owner process is gone from this host (SQLite; PostgreSQL's server does it itself). */
  takesOverStaleLocks?: boolean;
}

export function describeStateStore(name: string, subject: StateStoreSubject): void {
  describe(`StateStore on ${name}`, () => {
    const opened: StateStore[] = [];

    async function newState(): Promise<{ store: StateStore; open: () => Promise<StateStore> }> {
      const openState = await subject.createState();
      const open = async () => {
        const store = await openState();
        opened.push(store);
        return store;
      };
      return { store: await open(), open };
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('resources', () => {
      it('puts, gets, replaces and removes a resource', async () => {
        const { store } = await newState();
        const record = resource('docker', 'web');
        await store.putResource(record);
        expect(await store.getResource('docker', 'web')).toEqual(record);

        const changed = { ...record, properties: { image: 'nginx:2' }, outputs: { ip: '10.0.0.9' } };
        await store.putResource(changed);
        expect(await store.getResource('docker', 'web')).toEqual(changed);

        await store.removeResource('docker', 'web');
        expect(await store.getResource('docker', 'web')).toBeUndefined();
        expect(await store.listResources()).toEqual([]);
      });

      it('lists every resource sorted by address, across more than one page', async () => {
        const { store } = await newState();
        // More than the backends' page size (1,000), written out of order.
        const names = Array.from(
          { length: 1_050 },
          (_, index) => `vm-${String(index).padStart(4, '0')}`,
        ).reverse();
        for (let index = 0; index < names.length; index += 50)
          await Promise.all(
            names.slice(index, index + 50).map((name) => store.putResource(resource('aws', name))),
          );
        await store.putResource(resource('docker', 'web'));
        await store.putDeployment(deployment('not-a-resource'));

        const listed = await store.listResources();
        expect(listed).toHaveLength(1_051);
        const addresses = listed.map((record) => record.address);
        expect(addresses).toEqual([...addresses].sort());
        expect(addresses[0]).toBe('aws:compute:vm:vm-0000');
        expect(addresses.at(-1)).toBe('docker:compute:vm:web');
      });

      it('keeps names with colons, percent signs, underscores and non-ASCII intact', async () => {
        const { store } = await newState();
        const names = ['db:primary', '100%_done', 'café-ü'];
        for (const name of names) await store.putResource(resource('docker', name));
        expect((await store.listResources()).map((record) => record.name).sort()).toEqual([...names].sort());
        for (const name of names) expect((await store.getResource('docker', name))?.name).toBe(name);
      });

      it('finds by server and name, with undefined at the index of each missing one', async () => {
        const { store } = await newState();
        const web = resource('docker', 'web');
        const vlan = resource('opnsense', 'game-vlan');
        await store.putResource(web);
        await store.putResource(vlan);
        expect(await store.findByName([])).toEqual([]);
        expect(
          await store.findByName([
            { server: 'opnsense', name: 'game-vlan' },
            { server: 'docker', name: 'missing' },
            { server: 'opnsense', name: 'web' },
            { server: 'docker', name: 'web' },
          ]),
        ).toEqual([vlan, undefined, undefined, web]);
      });

      it('answers resourcesOf a deployment and namesOn a server', async () => {
        const { store } = await newState();
        await store.putResource(resource('docker', 'web', 'shop'));
        await store.putResource(resource('docker', 'db', 'shop'));
        await store.putResource(resource('opnsense', 'vlan', 'shop'));
        await store.putResource(resource('docker', 'mc', 'games'));

        expect((await store.resourcesOf('shop')).map((record) => record.address)).toEqual([
          'docker:compute:vm:db',
          'docker:compute:vm:web',
          'opnsense:compute:vm:vlan',
        ]);
        expect(await store.resourcesOf('none')).toEqual([]);
        expect((await store.namesOn('docker')).sort()).toEqual(['db', 'mc', 'web']);
        expect(await store.namesOn('aws')).toEqual([]);
      });
    });

    describe('deployments, applies, journal and revisions', () => {
      it('puts, gets and lists deployments sorted by name', async () => {
        const { store } = await newState();
        await store.putDeployment(deployment('web'));
        await store.putDeployment(deployment('game-server'));
        const updated = { ...deployment('web'), status: 'failed' as const, revision: 2 };
        await store.putDeployment(updated);

        expect(await store.getDeployment('web')).toEqual(updated);
        expect(await store.getDeployment('missing')).toBeUndefined();
        expect((await store.listDeployments()).map((record) => record.name)).toEqual(['game-server', 'web']);
      });

      it('puts and gets applies, a later put replacing the record', async () => {
        const { store } = await newState();
        const running = apply('apply-1', 'web');
        await store.putApply(running);
        expect(await store.getApply('apply-1')).toEqual(running);

        const finished = { ...running, status: 'succeeded' as const, finishedAt: later(), durationMs: 1200 };
        await store.putApply(finished);
        expect(await store.getApply('apply-1')).toEqual(finished);
        expect(await store.getApply('apply-2')).toBeUndefined();
      });

      it('reads the journal in sequence order, past a gap, without other applies’ entries', async () => {
        const { store } = await newState();
        // Written out of order, as concurrent steps finish; 4 never written (a crash between two writes).
        for (const seq of [3, 1, 2, 6, 5]) await store.appendJournal(journal('apply-1', seq));
        await store.appendJournal(journal('apply-10', 1));
        await store.appendJournal(journal('apply-2', 4));

        expect((await store.readJournal('apply-1')).map((entry) => entry.seq)).toEqual([1, 2, 3, 5, 6]);
        expect(await store.readJournal('apply-1')).toEqual(
          [1, 2, 3, 5, 6].map((seq) => journal('apply-1', seq)),
        );
        expect((await store.readJournal('apply-10')).map((entry) => entry.seq)).toEqual([1]);
        expect(await store.readJournal('apply-3')).toEqual([]);
      });

      it('reads revisions 1..n, and up to a given revision', async () => {
        const { store } = await newState();
        for (const number of [2, 1, 3]) await store.putRevision(revision('web', number));
        await store.putRevision(revision('other', 1));
        await store.putDeployment({ ...deployment('web'), revision: 3 });

        expect((await store.readRevisions('web')).map((record) => record.revision)).toEqual([1, 2, 3]);
        expect(await store.readRevisions('web', 2)).toEqual([revision('web', 1), revision('web', 2)]);
        expect(await store.readRevisions('web', 0)).toEqual([]);
        // Without a deployment record there is no latest revision to read up to.
        expect(await store.readRevisions('other')).toEqual([]);
        expect(await store.readRevisions('other', 1)).toEqual([revision('other', 1)]);
      });

      it('counts one write per set or delete, and none per read', async () => {
        const { store } = await newState();
        const before = store.writes;
        await store.putResource(resource('docker', 'web'));
        await store.putResource(resource('docker', 'db'));
        await store.removeResource('docker', 'db');
        await store.putDeployment(deployment('web'));
        await store.putApply(apply('apply-1', 'web'));
        await store.appendJournal(journal('apply-1', 1));
        await store.appendJournal(journal('apply-1', 2));
        await store.putRevision(revision('web', 1));
        expect(store.writes - before).toBe(8);

        await store.getResource('docker', 'web');
        await store.listResources();
        await store.findByName([{ server: 'docker', name: 'web' }]);
        await store.readJournal('apply-1');
        await store.readRevisions('web', 1);
        await store.listDeployments();
        expect(store.writes - before).toBe(8);
      });

      // Not for memory, where each store is its own state: a test that cannot fail is not written at all.
      if (subject.persistent)
        it('keeps everything across close and reopen', async () => {
          const { store, open } = await newState();
          await store.putResource(resource('docker', 'web'));
          await store.putDeployment({ ...deployment('web'), revision: 1 });
          await store.putApply(apply('apply-1', 'web'));
          await store.appendJournal(journal('apply-1', 1));
          await store.putRevision(revision('web', 1));
          await store.close();

          const reopened = await open();
          expect(await reopened.listResources()).toEqual([resource('docker', 'web')]);
          expect(await reopened.getDeployment('web')).toEqual({ ...deployment('web'), revision: 1 });
          expect(await reopened.getApply('apply-1')).toEqual(apply('apply-1', 'web'));
          expect(await reopened.readJournal('apply-1')).toEqual([journal('apply-1', 1)]);
          expect(await reopened.readRevisions('web')).toEqual([revision('web', 1)]);
          expect(reopened.writes).toBe(0);
        });
    });

    describe('lock', () => {
      it('is free at first, held after acquire, free again after release (twice is harmless)', async () => {
        const { store } = await newState();
        expect(await store.readLock()).toBeUndefined();
        const owner = lockOwner('apply web');
        const lock = await store.acquireLock(owner);
        expect(lock.owner).toEqual(owner);
        expect(await store.readLock()).toEqual(owner);
        await lock.release();
        await lock.release();
        expect(await store.readLock()).toBeUndefined();
        const again = await store.acquireLock(lockOwner('apply web'));
        await again.release();
      });

      it('refuses a second holder at once, naming the holder', async () => {
        const { store, open } = await newState();
        const other = await open();
        const holder = lockOwner('apply game-server');
        const lock = await store.acquireLock(holder);

        const started = Date.now();
        const error = await other.acquireLock(lockOwner('destroy web')).catch((caught: unknown) => caught);
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(ConductorError.isInstance(error)).toBe(true);
        const locked = error as ConductorError;
        expect(locked.code).toBe('state-locked');
        expect(locked.summary).toContain(`pid ${holder.pid}`);
        expect(locked.summary).toContain(holder.host);
        expect(locked.summary).toContain('apply game-server');
        expect(locked.summary).toContain(other.location);
        expect(locked.detail).toContain('unlock --force');
        // The refusal did not disturb the holder.
        expect(await other.readLock()).toEqual(holder);
        await lock.release();
      });

      it('waits up to timeoutMs and gets the lock once the holder releases it', async () => {
        const { store, open } = await newState();
        const other = await open();
        const lock = await store.acquireLock(lockOwner('apply web'));
        const waiter = lockOwner('apply db');
        const started = Date.now();
        setTimeout(() => void lock.release(), 300);

        const acquired = await other.acquireLock(waiter, { timeoutMs: 10_000 });
        expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        expect(acquired.owner).toEqual(waiter);
        expect(await store.readLock()).toEqual(waiter);
        await acquired.release();
      });

      it('gives up after timeoutMs with the holder and the time waited', async () => {
        const { store, open } = await newState();
        const other = await open();
        const lock = await store.acquireLock(lockOwner('apply web'));
        const started = Date.now();
        const error = (await other
          .acquireLock(lockOwner('apply db'), { timeoutMs: 1_200 })
          .catch((caught: unknown) => caught)) as ConductorError;
        expect(Date.now() - started).toBeGreaterThanOrEqual(1_150);
        expect(error.code).toBe('state-locked');
        expect(error.summary).toContain('apply web');
        expect(error.summary).toMatch(/after waiting \d+ s/);
        await lock.release();
      });

      it('stops waiting when the signal aborts', async () => {
        const { store, open } = await newState();
        const other = await open();
        const lock = await store.acquireLock(lockOwner('apply web'));
        const started = Date.now();
        const error = (await other
          .acquireLock(lockOwner('apply db'), { timeoutMs: 20_000, signal: AbortSignal.timeout(300) })
          .catch((caught: unknown) => caught)) as ConductorError;
        expect(error.code).toBe('state-locked');
        expect(Date.now() - started).toBeLessThan(5_000);
        await lock.release();
      });

      it('force-unlocks: returns the owner it had and frees the lock', async () => {
        const { store, open } = await newState();
        const other = await open();
        const holder = lockOwner('apply web');
        await store.acquireLock(holder);

        expect(await other.forceUnlock()).toEqual(holder);
        expect(await other.readLock()).toBeUndefined();
        expect(await other.forceUnlock()).toBeUndefined();
        const next = await other.acquireLock(lockOwner('recover'));
        expect(await store.readLock()).toEqual(next.owner);
        await next.release();
      });

      it('after a forced unlock, the old holder’s release leaves the new holder’s lock alone', async () => {
        const { store, open } = await newState();
        const other = await open();
        const third = await open();
        const old = await store.acquireLock(lockOwner('apply web'));
        await other.forceUnlock();
        const current = await other.acquireLock(lockOwner('recover'));

        await old.release();
        expect(await third.readLock()).toEqual(current.owner);
        const error = (await third
          .acquireLock(lockOwner('apply db'))
          .catch((caught: unknown) => caught)) as ConductorError;
        expect(error.code).toBe('state-locked');
        expect(error.summary).toContain('recover');
        await current.release();
        expect(await third.readLock()).toBeUndefined();
      });

      if (subject.takesOverStaleLocks)
        it('takes over a lock whose owner process is gone from this host', async () => {
          const { store, open } = await newState();
          const other = await open();
          const gone = { ...lockOwner('apply web'), pid: await deadPid() };
          await store.acquireLock(gone);
          expect(await other.readLock()).toEqual(gone);

          const next = lockOwner('apply db');
          const lock = await other.acquireLock(next);
          expect(await store.readLock()).toEqual(next);
          await lock.release();

          // A pid on another host says nothing about processes here, so that owner is never taken over.
          const remote = { ...lockOwner('apply web'), host: `not-${hostname()}`, pid: await deadPid() };
          const held = await store.acquireLock(remote);
          const error = (await other
            .acquireLock(lockOwner('apply db'))
            .catch((caught: unknown) => caught)) as ConductorError;
          expect(error.code).toBe('state-locked');
          await held.release();
        });
    });
  });
}

// --- records

const at = '2025-01-02T03:04:05.000Z';

function later(): string {
  return '2025-01-02T03:05:00.000Z';
}

export function lockOwner(operation: string): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    operation,
    token: randomUUID(),
  };
}

function resource(server: string, name: string, deploymentName = 'web'): ResourceRecord {
  return {
    address: `${server}:compute:vm:${name}`,
    server,
    type: 'compute:vm',
    name,
    deployment: deploymentName,
    id: `${server}-${name}`,
    properties: { image: 'nginx:1', ports: [80, 443], labels: { tier: 'web' }, enabled: true },
    outputs: { ip: '10.0.0.2' },
    dependsOn: [`opnsense:network:vlan:${deploymentName}`],
    createdAt: at,
    updatedAt: at,
  };
}

function deployment(name: string): DeploymentRecord {
  return deploymentRecordSchema.parse({
    name,
    status: 'applied',
    request: `deploy ${name} for 10 players`,
    pattern: 'game-server',
    params: { players: 10 },
    revision: 0,
    createdAt: at,
    updatedAt: at,
  });
}

function apply(id: string, deploymentName: string): ApplyRecord {
  return applyRecordSchema.parse({
    id,
    deployment: deploymentName,
    operation: 'apply',
    status: 'running',
    owner: { pid: 1, host: 'ci', since: at, operation: 'apply', token: 't' },
    plan: {
      formatVersion: 1,
      deployment: deploymentName,
      steps: [],
      waves: [],
      criticalPath: [],
      summary: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
      diagnostics: [],
    },
    summary: { create: 1, update: 0, replace: 0, delete: 0, same: 0 },
    rollback: true,
    startedAt: at,
  });
}

function journal(applyId: string, seq: number): JournalEntry {
  return journalEntrySchema.parse({
    applyId,
    seq,
    at,
    kind: seq % 2 === 1 ? 'begin' : 'end',
    phase: 'apply',
    operation: 'create',
    address: `docker:compute:vm:web-${seq}`,
    server: 'docker',
    type: 'compute:vm',
    name: `web-${seq}`,
    deployment: 'web',
    properties: { seq },
  });
}

function revision(deploymentName: string, number: number): RevisionRecord {
  return revisionRecordSchema.parse({
    deployment: deploymentName,
    revision: number,
    applyId: `apply-${number}`,
    at,
    status: 'succeeded',
    changes: [
      { address: 'docker:compute:vm:web', server: 'docker', name: 'web', record: resource('docker', 'web') },
    ],
  });
}

/** The pid of a process that has exited (and been reaped), as a crashed holder's would be. */
export function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}
