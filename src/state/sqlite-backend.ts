// The embedded default state: one SQLite file ($CONDUCTOR_HOME/state.sqlite) through @keyv/sqlite, with the lock as a
// row of the same table. WAL mode with synchronous=NORMAL survives a killed process (the log is replayed on the next
// open) without an fsync per write; only a power loss can take back the last few commits.
import { hostname } from 'node:os';
import KeyvSqlite from '@keyv/sqlite';
import type Keyv from 'keyv';
import type { CollectionName, LockManager, StateBackend } from './keyv-state-store.js';
import { createCollection, KeyvStateStore } from './keyv-state-store.js';
import { ownerIsGone } from './lock-error.js';
import { waitForLock } from './lock-wait.js';
import { type LockOwner, lockOwnerSchema } from './records.js';
import type { AcquireLockOptions, StateLock } from './state-store.js';
import { reasonOf, stateUnavailableError } from './state-unavailable-error.js';

const TABLE = 'conductor';
/** Collections' keys are `<collection>:<key>`, so this key belongs to none of them and is never listed. */
const LOCK_KEY = 'lock:state';
/** How long a write waits for another process's write to finish before failing. */
const BUSY_TIMEOUT_MS = 10_000;
/** Rows per page when listing a collection. */
const ITERATION_LIMIT = 1000;
const COLLECTIONS: readonly CollectionName[] = ['resource', 'deployment', 'log'];
/** Opening a busy fresh file is tried this many times. */
const OPEN_ATTEMPTS = 5;

const FIX =
  'Check that the directory exists and is writable and that the file is a Conductor state (an SQLite database). ' +
  'To use another state, pass --state or set state.url in the configuration.';

/** Opens (creating if needed) the SQLite state at an absolute or working-directory-relative file path. */
export async function openSqliteStateStore(path: string): Promise<KeyvStateStore> {
  return new KeyvStateStore(await SqliteBackend.open(path));
}

class SqliteBackend implements StateBackend {
  private readonly collections: Map<CollectionName, Keyv>;
  private closed = false;

  private constructor(
    readonly location: string,
    private readonly adapters: Map<CollectionName, KeyvSqlite>,
    private readonly control: KeyvSqlite,
    readonly lock: SqliteLock,
  ) {
    this.collections = new Map(
      [...adapters].map(([name, adapter]) => [
        name,
        // Without throwOnErrors keyv turns a failed write into `false` and a failed read into "not found".
        createCollection(adapter, name),
      ]),
    );
  }

  static async open(path: string): Promise<SqliteBackend> {
    // A fresh file opened by several connections at once can fail with SQLITE_BUSY even with a busy timeout: SQLite
    // refuses at once (without waiting) when two connections would deadlock creating the table and switching to WAL.
    // So the connections open one after another, and an open that still meets a busy database is tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await SqliteBackend.openOnce(path);
      } catch (error) {
        if (
          attempt >= OPEN_ATTEMPTS ||
          !/SQLITE_BUSY|database is locked/i.test(String(reasonOfError(error)))
        ) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 50));
      }
    }
  }

  private static async openOnce(path: string): Promise<SqliteBackend> {
    // One adapter (one connection) per collection: keyv sets the adapter's namespace, so a shared adapter would list
    // whichever collection was wired last. The control connection runs the pragmas and the lock, and opens first: it
    // creates the table and switches the file to WAL before any other connection exists.
    const connections: KeyvSqlite[] = [];
    try {
      const control = connect(path);
      connections.push(control);
      // journal_mode is stored in the file; synchronous is per connection.
      await control.query('PRAGMA journal_mode=WAL');
      await control.query('PRAGMA synchronous=NORMAL');
      const adapters = new Map<CollectionName, KeyvSqlite>();
      for (const name of COLLECTIONS) {
        const adapter = connect(path);
        connections.push(adapter);
        await adapter.query('PRAGMA synchronous=NORMAL');
        adapters.set(name, adapter);
      }
      return new SqliteBackend(path, adapters, control, new SqliteLock(control, path));
    } catch (error) {
      await closeAll(connections);
      throw stateUnavailableError({ location: path, reason: reasonOf(error), fix: FIX, cause: error });
    }
  }

  collection(name: CollectionName): Keyv {
    return this.collections.get(name)!;
  }

  /** Closes every connection, so the process can exit. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.releaseAll();
    await closeAll([this.control, ...this.adapters.values()]);
  }
}

function connect(path: string): KeyvSqlite {
  const adapter = new KeyvSqlite({
    uri: `sqlite://${path}`,
    table: TABLE,
    busyTimeout: BUSY_TIMEOUT_MS,
    iterationLimit: ITERATION_LIMIT,
  });
  // Failures reach us as rejected calls; the adapter also emits them, and an emitter with no listener would throw.
  adapter.on('error', () => {});
  return adapter;
}

async function closeAll(connections: readonly KeyvSqlite[]): Promise<void> {
  // A connection that never opened rejects on close; there is nothing left to close then.
  await Promise.allSettled(connections.map((connection) => connection.close()));
}

/**
 * A row `lock:state` holding the owner as JSON. Taking it is one atomic insert; a row whose owner process is gone
 * (same host, no such pid) is taken over with a compare-and-swap, so two processes cannot both take a stale lock.
 */
class SqliteLock implements LockManager {
  private readonly held = new Set<StateLock>();

  constructor(
    private readonly connection: KeyvSqlite,
    private readonly location: string,
  ) {}

  acquire(owner: LockOwner, options: AcquireLockOptions = {}): Promise<StateLock> {
    const value = JSON.stringify(owner);
    return waitForLock<StateLock>(
      async () => {
        for (;;) {
          const inserted = await this.query(
            `INSERT INTO ${TABLE}(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING RETURNING value`,
            LOCK_KEY,
            value,
          );
          if (inserted.length > 0) return { acquired: this.hold(owner, value) };
          const current = await this.currentValue();
          // Released between the insert and the read: try again at once.
          if (current === undefined) continue;
          const holder = parseOwner(current);
          if (holder && !ownerIsGone(holder, hostname())) return { heldBy: holder };
          // Stale (or unreadable): take it over only if nobody changed it since we read it.
          const taken = await this.query(
            `UPDATE ${TABLE} SET value = ? WHERE key = ? AND value = ? RETURNING value`,
            value,
            LOCK_KEY,
            current,
          );
          if (taken.length > 0) return { acquired: this.hold(owner, value) };
        }
      },
      options,
      this.location,
    );
  }

  async read(): Promise<LockOwner | undefined> {
    const current = await this.currentValue();
    return current === undefined ? undefined : parseOwner(current);
  }

  async forceUnlock(): Promise<LockOwner | undefined> {
    const removed = await this.query(`DELETE FROM ${TABLE} WHERE key = ? RETURNING value`, LOCK_KEY);
    const value = removed[0]?.value;
    return typeof value === 'string' ? parseOwner(value) : undefined;
  }

  /** Releases the locks this store still holds, so closing never leaves a lock behind. */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.held].map((lock) => lock.release()));
  }

  private hold(owner: LockOwner, value: string): StateLock {
    const lock: StateLock = {
      owner,
      release: async () => {
        if (!this.held.has(lock)) return;
        // Only our own row: after a forced unlock the row may be someone else's.
        await this.query(`DELETE FROM ${TABLE} WHERE key = ? AND value = ?`, LOCK_KEY, value);
        this.held.delete(lock);
      },
    };
    this.held.add(lock);
    return lock;
  }

  private async currentValue(): Promise<string | undefined> {
    const rows = await this.query(`SELECT value FROM ${TABLE} WHERE key = ?`, LOCK_KEY);
    const value = rows[0]?.value;
    return typeof value === 'string' ? value : undefined;
  }

  private async query(sql: string, ...parameters: unknown[]): Promise<Array<{ value?: unknown }>> {
    try {
      return await this.connection.query(sql, ...parameters);
    } catch (error) {
      throw stateUnavailableError({
        location: this.location,
        reason: reasonOf(error),
        fix: FIX,
        cause: error,
      });
    }
  }
}

function parseOwner(value: string): LockOwner | undefined {
  try {
    const parsed = lockOwnerSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The underlying reason of an open failure (the state-unavailable error keeps the driver's error as its cause). */
function reasonOfError(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return `${error instanceof Error ? error.message : String(error)} ${cause instanceof Error ? cause.message : ''}`;
}
