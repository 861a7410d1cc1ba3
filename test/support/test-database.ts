// A fresh PostgreSQL database per test: the tests share one server but never each other's state or advisory locks
// (advisory locks are per database).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { POSTGRES_MISSING } from './postgres-server.js';

/** The test server's URL, or a failure saying why there is none: PostgreSQL tests never skip themselves. */
export function testPostgresUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error(inject('postgresProblem') || POSTGRES_MISSING);
  return url;
}

const created: string[] = [];

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const base = testPostgresUrl();
  const name = `conductor_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await withClient(base, (client) => client.query(`CREATE DATABASE ${name}`));
  created.push(name);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the databases this test file created (FORCE ends sessions a failed test may have left open). */
export async function dropTestDatabases(): Promise<void> {
  const names = created.splice(0);
  if (names.length === 0) return;
  await withClient(testPostgresUrl(), async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
