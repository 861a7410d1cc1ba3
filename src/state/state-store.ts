// The state store: what Conductor remembers between runs. One record per resource, deployment records, applies, an
// append-only journal, revisions for history, and the lock that allows one apply at a time.
import type { ResourceRecord, StateReader } from '../model/resource-record.js';
import type { ApplyRecord, DeploymentRecord, JournalEntry, LockOwner, RevisionRecord } from './records.js';

export interface AcquireLockOptions {
  /** Wait up to this long for a held lock (default 0: fail at once with who holds it). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A held lock. Releasing twice is harmless. */
export interface StateLock {
  readonly owner: LockOwner;
  release(): Promise<void>;
}

export interface StateStore extends StateReader {
  /** Where the state lives, safe to print (no password). */
  readonly location: string;
  /** Writes made through this store so far: each set or delete counts one. */
  readonly writes: number;

  getResource(server: string, name: string): Promise<ResourceRecord | undefined>;
  putResource(record: ResourceRecord): Promise<void>;
  removeResource(server: string, name: string): Promise<void>;
  listResources(): Promise<ResourceRecord[]>;

  getDeployment(name: string): Promise<DeploymentRecord | undefined>;
  putDeployment(record: DeploymentRecord): Promise<void>;
  listDeployments(): Promise<DeploymentRecord[]>;

  getApply(id: string): Promise<ApplyRecord | undefined>;
  putApply(record: ApplyRecord): Promise<void>;

  /** Appends one entry; `entry.seq` is chosen by the writer (one apply at a time holds the lock). */
  appendJournal(entry: JournalEntry): Promise<void>;
  /** Every entry of an apply, in sequence order. */
  readJournal(applyId: string): Promise<JournalEntry[]>;

  putRevision(record: RevisionRecord): Promise<void>;
  /** Revisions 1..upTo (default: all) of a deployment, oldest first. */
  readRevisions(deployment: string, upTo?: number): Promise<RevisionRecord[]>;

  /** Takes the state's lock, or fails with a `state-locked` ConductorError naming the holder. */
  acquireLock(owner: LockOwner, options?: AcquireLockOptions): Promise<StateLock>;
  /** Who holds the lock, if anyone. */
  readLock(): Promise<LockOwner | undefined>;
  /** Breaks the lock whoever holds it; returns the owner it had. */
  forceUnlock(): Promise<LockOwner | undefined>;

  /** Ends the store's connections (an open store keeps a process alive). Closing twice is harmless. */
  close(): Promise<void>;
}
