// The StateStore over keyv. A backend (memory, SQLite, PostgreSQL) supplies one keyv per collection and the lock;
// this class owns the key layout. Every write is one key: an apply writes O(steps) keys, never the whole state.
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { ResourceRecord, ServerName } from '../model/resource-record.js';
import type { ApplyRecord, DeploymentRecord, JournalEntry, LockOwner, RevisionRecord } from './records.js';
import type { AcquireLockOptions, StateLock, StateStore } from './state-store.js';

/** Collections a backend must provide, each its own keyv namespace. Only `resource` and `deployment` are listed. */
export type CollectionName = 'resource' | 'deployment' | 'log';

export interface LockManager {
  acquire(owner: LockOwner, options?: AcquireLockOptions): Promise<StateLock>;
  read(): Promise<LockOwner | undefined>;
  forceUnlock(): Promise<LockOwner | undefined>;
}

export interface StateBackend {
  readonly location: string;
  collection(name: CollectionName): Keyv;
  readonly lock: LockManager;
  close(): Promise<void>;
}

const JOURNAL_BATCH = 256;

/**
 * A keyv for one collection. Records are plain JSON (no Buffers, Dates or bigints), so plain JSON serialization is
 * enough, and much cheaper than keyv's general serializer (measured: about a third of an apply's overhead). Errors
 * throw instead of reading as "not found".
 */
export function createCollection(
  store: KeyvStoreAdapter | Map<unknown, unknown>,
  namespace: CollectionName,
): Keyv {
  return new Keyv({
    store,
    namespace,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: (data) => JSON.parse(data as string),
  });
}

export class KeyvStateStore implements StateStore {
  private writeCount = 0;
  private readonly resources: Keyv;
  private readonly deployments: Keyv;
  /** Applies, journal entries and revisions: read by key only, never listed. */
  private readonly log: Keyv;

  constructor(private readonly backend: StateBackend) {
    this.resources = backend.collection('resource');
    this.deployments = backend.collection('deployment');
    this.log = backend.collection('log');
  }

  get location(): string {
    return this.backend.location;
  }

  get writes(): number {
    return this.writeCount;
  }

  // --- resources (StateReader for the planner, plus writes for the executor)

  async getResource(server: string, name: string): Promise<ResourceRecord | undefined> {
    return (await this.resources.get(resourceKey(server, name))) as ResourceRecord | undefined;
  }

  async putResource(record: ResourceRecord): Promise<void> {
    await this.write(this.resources, resourceKey(record.server, record.name), record);
  }

  async removeResource(server: string, name: string): Promise<void> {
    this.writeCount++;
    await this.resources.delete(resourceKey(server, name));
  }

  async listResources(): Promise<ResourceRecord[]> {
    return sortedRecords(await this.values<ResourceRecord>(this.resources), (record) => record.address);
  }

  async resourcesOf(deployment: string): Promise<ResourceRecord[]> {
    return (await this.listResources()).filter((record) => record.deployment === deployment);
  }

  async findByName(keys: readonly ServerName[]): Promise<Array<ResourceRecord | undefined>> {
    if (keys.length === 0) return [];
    const values = await this.resources.getMany(keys.map((key) => resourceKey(key.server, key.name)));
    return values.map((value) => (value ?? undefined) as ResourceRecord | undefined);
  }

  async dependentsOf(addresses: readonly string[]): Promise<ResourceRecord[]> {
    const wanted = new Set(addresses);
    return (await this.listResources()).filter((record) =>
      record.dependsOn.some((address) => wanted.has(address)),
    );
  }

  async namesOn(server: string): Promise<string[]> {
    return (await this.listResources())
      .filter((record) => record.server === server)
      .map((record) => record.name);
  }

  // --- deployments

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    return (await this.deployments.get(name)) as DeploymentRecord | undefined;
  }

  async putDeployment(record: DeploymentRecord): Promise<void> {
    await this.write(this.deployments, record.name, record);
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    return sortedRecords(await this.values<DeploymentRecord>(this.deployments), (record) => record.name);
  }

  // --- applies, journal, revisions

  async getApply(id: string): Promise<ApplyRecord | undefined> {
    return (await this.log.get(`apply/${id}`)) as ApplyRecord | undefined;
  }

  async putApply(record: ApplyRecord): Promise<void> {
    await this.write(this.log, `apply/${record.id}`, record);
  }

  async appendJournal(entry: JournalEntry): Promise<void> {
    await this.write(this.log, journalKey(entry.applyId, entry.seq), entry);
  }

  async readJournal(applyId: string): Promise<JournalEntry[]> {
    // Entries are numbered from 1. Concurrent steps may finish their writes out of order and a crash can leave a gap,
    // so reading goes on batch by batch until a whole batch is empty.
    const entries: JournalEntry[] = [];
    for (let first = 1; ; first += JOURNAL_BATCH) {
      const keys = Array.from({ length: JOURNAL_BATCH }, (_, offset) => journalKey(applyId, first + offset));
      const batch = (await this.log.getMany(keys)).filter((value) => value !== undefined && value !== null);
      if (batch.length === 0) break;
      entries.push(...(batch as JournalEntry[]));
    }
    return entries;
  }

  async putRevision(record: RevisionRecord): Promise<void> {
    await this.write(this.log, revisionKey(record.deployment, record.revision), record);
  }

  async readRevisions(deployment: string, upTo?: number): Promise<RevisionRecord[]> {
    const last = upTo ?? (await this.getDeployment(deployment))?.revision ?? 0;
    if (last <= 0) return [];
    const keys = Array.from({ length: last }, (_, index) => revisionKey(deployment, index + 1));
    const values = await this.log.getMany(keys);
    return values.filter((value) => value !== undefined && value !== null) as RevisionRecord[];
  }

  // --- lock

  acquireLock(owner: LockOwner, options?: AcquireLockOptions): Promise<StateLock> {
    return this.backend.lock.acquire(owner, options);
  }

  readLock(): Promise<LockOwner | undefined> {
    return this.backend.lock.read();
  }

  forceUnlock(): Promise<LockOwner | undefined> {
    return this.backend.lock.forceUnlock();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private async write(collection: Keyv, key: string, value: unknown): Promise<void> {
    this.writeCount++;
    await collection.set(key, value);
  }

  private async values<T>(collection: Keyv): Promise<T[]> {
    const result: T[] = [];
    if (!collection.iterator) return result;
    for await (const [, value] of collection.iterator(collection.namespace)) result.push(value as T);
    return result;
  }
}

function resourceKey(server: string, name: string): string {
  return `${server}/${name}`;
}

function journalKey(applyId: string, seq: number): string {
  return `journal/${applyId}/${String(seq).padStart(8, '0')}`;
}

function revisionKey(deployment: string, revision: number): string {
  return `revision/${deployment}/${String(revision).padStart(8, '0')}`;
}

function sortedRecords<T>(records: T[], key: (record: T) => string): T[] {
  return records.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
