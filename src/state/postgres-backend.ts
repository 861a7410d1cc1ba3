// The team state: PostgreSQL through @keyv/postgres for the collections, and a session-level advisory lock held on a
// connection of its own, which the server releases by itself when the holder's process or connection dies.
import KeyvPostgres from '@keyv/postgres';
import type Keyv from 'keyv';
import pg from 'pg';
import { ConductorError } from '../model/conductor-error.js';
import type { CollectionName, LockManager, StateBackend } from './keyv-state-store.js';
import { createCollection, KeyvStateStore } from './keyv-state-store.js';
import { waitForLock } from './lock-wait.js';
import { type LockOwner, lockOwnerSchema } from './records.js';
import type { AcquireLockOptions, StateLock } from './state-store.js';
import { reasonOf, stateUnavailableError } from './state-unavailable-error.js';

const TABLE = 'public.conductor';
/** Longer than keyv's default 255: addresses and journal keys of long resource names must fit. */
const KEY_SIZE = 1024;
const ITERATION_LIMIT = 1000;
/** The lock's description (who holds it) lives in the collections' table under a key none of them uses. */
const LOCK_INFO_KEY = 'lock:state';
/**
 * The advisory lock's key ('Cond' in ASCII). Advisory locks are scoped to a database, so each state database has its
 * own. Below 2^32, so pg_locks shows it as classid 0, objid = the key, objsubid 1 (the single-bigint form).
 */
const ADVISORY_LOCK_KEY = 0x436f6e64;
const CONNECT_TIMEOUT_MS = 10_000;
const POOL_SIZE = 5;
/** How long forceUnlock waits for a terminated holder's session to end and let go of the lock. */
const TERMINATE_WAIT_MS = 5_000;
const COLLECTIONS: readonly CollectionName[] = ['resource', 'deployment', 'log'];

/**
 * Opens the PostgreSQL state at `url` (creating its table if needed). `location` is how it is named in messages: the
 * URL with the password masked. An unreachable server or a refused login becomes a `state-unavailable` error.
 */
export async function openPostgresStateStore(url: string, location: string): Promise<KeyvStateStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'conductor',
  });
  // An idle connection the server drops emits here; the next query simply opens a new one.
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE}(key VARCHAR(${KEY_SIZE}) PRIMARY KEY, value TEXT)`);
  } catch (error) {
    // Two processes creating the table at the same moment: one gets a unique violation, and the table exists.
    if (!isConcurrentCreate(error)) {
      await pool.end().catch(() => {});
      throw unavailableError(error, location);
    }
  }
  return new KeyvStateStore(new PostgresBackend(pool, url, location));
}

class PostgresBackend implements StateBackend {
  readonly lock: PostgresLock;
  private readonly collections: Map<CollectionName, Keyv>;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    url: string,
    readonly location: string,
  ) {
    this.lock = new PostgresLock(pool, url, location);
    this.collections = new Map(
      COLLECTIONS.map((name) => {
        const adapter = new PooledKeyvPostgres(pool, location);
        adapter.on('error', () => {});
        // Without throwOnErrors keyv turns a failed write into `false` and a failed read into "not found".
        return [name, createCollection(adapter, name)];
      }),
    );
  }

  collection(name: CollectionName): Keyv {
    return this.collections.get(name)!;
  }

  /** Ends every connection, so the process can exit. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.releaseAll();
    await this.pool.end();
  }
}

/**
 * @keyv/postgres with two changes. Queries go through this store's own pool: the package keeps one module-wide pool
 * and drops (without ending) the previous one when another URL is opened, so two stores in one process would share or
 * leak connections and a process could not exit. And listing throws on failure: the package's iterator reports the
 * error as an event and ends early, which would look like a state with fewer resources.
 */
class PooledKeyvPostgres extends KeyvPostgres {
  private readonly pool: pg.Pool;
  private readonly location: string;

  constructor(pool: pg.Pool, location: string) {
    // The constructor calls connect() at once; the queries it returns run later, when `pool` is set.
    super({ table: 'conductor', keySize: KEY_SIZE, iterationLimit: ITERATION_LIMIT });
    this.pool = pool;
    this.location = location;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the base class's declared type
  override async connect(): Promise<(sql: string, values?: any) => Promise<any[]>> {
    return async (sql, values) => {
      try {
        return (await this.pool.query(sql, values)).rows;
      } catch (error) {
        throw isConnectionFailure(error) ? unavailableError(error, this.location) : error;
      }
    };
  }

  override async *iterator(namespace?: string): AsyncGenerator<string[], void, unknown> {
    const pattern = `${namespace ? `${namespace.replace(/[%_\\]/g, '\\$&')}:` : ''}%`;
    let after = '';
    for (;;) {
      // Keyset pages in byte order, so a page boundary never skips or repeats a key.
      const rows: Array<{ key: string; value: string }> = await this.query(
        `SELECT key, value FROM ${TABLE} WHERE key LIKE $1 AND key COLLATE "C" > $2 ORDER BY key COLLATE "C" LIMIT $3`,
        [pattern, after, ITERATION_LIMIT],
      );
      for (const row of rows) yield [row.key, row.value];
      if (rows.length < ITERATION_LIMIT) return;
      after = rows[rows.length - 1]!.key;
    }
  }
}

interface LockInspection {
  /** The server process (session) holding the advisory lock, if it is held. */
  session?: number;
  /** The lock-info row as stored, if any (it may be left from an earlier holder). */
  value?: string;
  owner?: LockOwner;
}

/**
 * `pg_try_advisory_lock` on a dedicated connection kept open while the lock is held. Beside it, a lock-info row says
 * who holds it; the row names the session it belongs to, so a row left by a holder that died is recognised as old.
 */
class PostgresLock implements LockManager {
  private readonly held = new Set<StateLock>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly location: string,
  ) {}

  async acquire(owner: LockOwner, options: AcquireLockOptions = {}): Promise<StateLock> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'conductor lock',
      keepAlive: true,
    });
    // A session ended by forceUnlock (or a lost connection) emits here; release then finds the session gone.
    client.on('error', () => {});
    try {
      await client.connect();
      return await waitForLock<StateLock>(
        async () => {
          const result = await client.query<{ locked: boolean; session: number }>(
            'SELECT pg_try_advisory_lock($1) AS locked, pg_backend_pid() AS session',
            [ADVISORY_LOCK_KEY],
          );
          const row = result.rows[0]!;
          if (!row.locked) return { heldBy: await this.holder() };
          const value = JSON.stringify({ owner, session: row.session });
          await client.query(
            `INSERT INTO ${TABLE}(key, value) VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
            [LOCK_INFO_KEY, value],
          );
          return { acquired: this.hold(client, owner, value) };
        },
        options,
        this.location,
      );
    } catch (error) {
      // Ending the session releases the advisory lock if it was taken before the failure.
      await client.end().catch(() => {});
      throw ConductorError.isInstance(error) ? error : unavailableError(error, this.location);
    }
  }

  read(): Promise<LockOwner | undefined> {
    return this.holder();
  }

  async forceUnlock(): Promise<LockOwner | undefined> {
    const before = await this.inspect();
    const owner = before.session === undefined ? undefined : await this.holder();
    if (before.session !== undefined) {
      await this.query('SELECT pg_terminate_backend($1)', [before.session]);
      const deadline = Date.now() + TERMINATE_WAIT_MS;
      while ((await this.inspect()).session === before.session && Date.now() < deadline) await pause(50);
    }
    // Only the row read above: a process that took the lock in the meantime keeps its own.
    if (before.value !== undefined)
      await this.query(`DELETE FROM ${TABLE} WHERE key = $1 AND value = $2`, [LOCK_INFO_KEY, before.value]);
    return owner;
  }

  /** Releases the locks this store still holds, so closing never leaves a session (and its lock) open. */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.held].map((lock) => lock.release()));
  }

  private hold(client: pg.Client, owner: LockOwner, value: string): StateLock {
    const lock: StateLock = {
      owner,
      release: async () => {
        if (!this.held.delete(lock)) return;
        try {
          // Only our own row: after a forced unlock it may describe the next holder.
          await client.query(`DELETE FROM ${TABLE} WHERE key = $1 AND value = $2`, [LOCK_INFO_KEY, value]);
          await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
        } catch {
          // The session is gone (forced unlock, lost connection), and the server released the lock with it.
        } finally {
          await client.end().catch(() => {});
        }
      },
    };
    this.held.add(lock);
    return lock;
  }

  /** Who holds the lock. A holder writes its row just after locking, so a missing row gets a moment to appear. */
  private async holder(): Promise<LockOwner | undefined> {
    for (let attempt = 0; ; attempt++) {
      const state = await this.inspect();
      if (state.session === undefined) return undefined;
      if (state.owner) return state.owner;
      if (attempt === 5) return unknownHolder(state.session);
      await pause(40);
    }
  }

  private async inspect(): Promise<LockInspection> {
    const rows = await this.query<{ session: number | null; value: string | null }>(
      `SELECT (SELECT l.pid FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                LIMIT 1) AS session,
              (SELECT value FROM ${TABLE} WHERE key = $2) AS value`,
      [ADVISORY_LOCK_KEY, LOCK_INFO_KEY],
    );
    const row = rows[0];
    const session = row?.session ?? undefined;
    const value = row?.value ?? undefined;
    const info = value === undefined ? undefined : parseInfo(value);
    return { session, value, owner: info && info.session === session ? info.owner : undefined };
  }

  private async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, values)).rows;
    } catch (error) {
      throw unavailableError(error, this.location);
    }
  }
}

function parseInfo(value: string): { owner: LockOwner; session: number } | undefined {
  try {
    const parsed = JSON.parse(value) as { owner?: unknown; session?: unknown };
    const owner = lockOwnerSchema.safeParse(parsed.owner);
    return owner.success && typeof parsed.session === 'number'
      ? { owner: owner.data, session: parsed.session }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A holder that has not said who it is (an older or foreign client): all we know is its server session. */
function unknownHolder(session: number): LockOwner {
  return {
    pid: 0,
    host: 'an unknown host',
    since: new Date().toISOString(),
    operation: `an unknown operation in PostgreSQL session ${session}`,
    token: `session-${session}`,
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isConcurrentCreate(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === '42P07';
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Failures of the connection itself (as opposed to a query's), which the user fixes outside Conductor. */
function isConnectionFailure(error: unknown): boolean {
  if (error instanceof AggregateError) return true;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : '';
  return (
    NETWORK_ERRORS.has(code) ||
    /^(08|28|3D|53|57P)/.test(code) ||
    /timeout|terminated|Connection ended/i.test(message)
  );
}

function unavailableError(error: unknown, location: string): ConductorError {
  const code = String((error as { code?: unknown }).code ?? '');
  const where = 'the URL given by --state or state.url in the configuration';
  let fix: string;
  if (code === '28P01' || code === '28000')
    fix =
      `Check the user name and password in ${where} (the password may also come from PGPASSWORD or ~/.pgpass), ` +
      "and that the server's pg_hba.conf admits this user from this machine.";
  else if (code === '3D000')
    fix = `Create the database (createdb NAME, or CREATE DATABASE NAME) or fix the database name in ${where}.`;
  else if (code === '42501')
    fix =
      'The user may not create the table conductor in schema public. Grant it (GRANT CREATE ON SCHEMA public TO ' +
      `the user), create the table as its owner, or use another database in ${where}.`;
  else
    fix =
      `Check ${where}, and that the PostgreSQL server is running and accepts connections from this machine ` +
      '(listen_addresses, pg_hba.conf, firewall).';
  return stateUnavailableError({ location, reason: reasonOf(error), fix, cause: error });
}
