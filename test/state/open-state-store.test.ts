// Choosing the state from a URL, printing it without its password, and the errors for states that cannot be used.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConductorError } from '../../src/model/conductor-error.js';
import { openStateStore, parseStateUrl, redactStateUrl } from '../../src/state/open-state-store.js';
import { testPostgresUrl } from '../support/test-database.js';

const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'conductor-open-state-'));
  directories.push(directory);
  return directory;
}

async function failure(promise: Promise<unknown>): Promise<ConductorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ConductorError.isInstance(error), String(error)).toBe(true);
  return error as ConductorError;
}

describe('parseStateUrl', () => {
  it.each([
    [undefined, { kind: 'sqlite', path: '/home/me/.conductor/state.sqlite' }],
    ['  ', { kind: 'sqlite', path: '/home/me/.conductor/state.sqlite' }],
    ['sqlite:///var/lib/conductor/state.sqlite', { kind: 'sqlite', path: '/var/lib/conductor/state.sqlite' }],
    ['sqlite://team/state.sqlite', { kind: 'sqlite', path: resolve('team/state.sqlite') }],
    ['SQLITE:state', { kind: 'sqlite', path: resolve('state') }],
    ['/srv/state.db', { kind: 'sqlite', path: '/srv/state.db' }],
    ['states/prod.sqlite', { kind: 'sqlite', path: resolve('states/prod.sqlite') }],
    [
      'postgres://ops:pw@db.internal/conductor',
      { kind: 'postgres', url: 'postgres://ops:pw@db.internal/conductor' },
    ],
    [
      'postgresql://db/conductor?sslmode=require',
      { kind: 'postgres', url: 'postgresql://db/conductor?sslmode=require' },
    ],
    ['memory:', { kind: 'memory' }],
  ])('%s', (url, target) => {
    expect(parseStateUrl(url, '/home/me/.conductor')).toEqual(target);
  });

  it.each([
    'mysql://root:hunter2@db/conductor',
    'sqlite://',
    'state.json',
    '/var/lib/conductor',
    'file:///srv/state.sqlite',
  ])('refuses %s with the accepted forms', (url) => {
    let caught: unknown;
    try {
      parseStateUrl(url, '/home/me/.conductor');
    } catch (error) {
      caught = error;
    }
    expect(ConductorError.isInstance(caught)).toBe(true);
    const error = caught as ConductorError;
    expect(error.code).toBe('state-url-invalid');
    expect(error.exitCode).toBe(2);
    expect(error.summary).not.toContain('hunter2');
    expect(error.detail).toContain('sqlite:///absolute/path.sqlite');
    expect(error.detail).toContain('postgres://user:password@host:5432/database');
    expect(error.detail).toContain('memory:');
  });
});

describe('redactStateUrl', () => {
  it.each([
    ['postgres://ops:s3cret@db.internal:5432/conductor', 'postgres://ops:***@db.internal:5432/conductor'],
    ['postgresql://ops:p%40ss%2Fword@db/conductor', 'postgresql://ops:***@db/conductor'],
    ['postgres://ops@db/conductor', 'postgres://ops@db/conductor'],
    [
      'postgres://db/conductor?user=ops&password=s3cret&sslmode=require',
      'postgres://db/conductor?user=ops&password=***&sslmode=require',
    ],
    ['postgres://ops:s3cret@db', 'postgres://ops:***@db'],
    ['sqlite:///var/lib/state.sqlite', 'sqlite:///var/lib/state.sqlite'],
    ['/srv/state.db', '/srv/state.db'],
  ])('%s → %s', (url, printed) => {
    expect(redactStateUrl(url)).toBe(printed);
  });
});

describe('openStateStore', () => {
  it('creates the home directory and state.sqlite in it when no URL is given', async () => {
    const home = join(await temporaryDirectory(), 'nested', '.conductor');
    const store = await openStateStore({ home });
    try {
      expect(store.location).toBe(join(home, 'state.sqlite'));
      expect(existsSync(join(home, 'state.sqlite'))).toBe(true);
      expect(await store.listResources()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('opens memory state', async () => {
    const store = await openStateStore({ url: 'memory:', home: '/nonexistent' });
    expect(store.location).toBe('memory');
    await store.close();
  });

  it('reports an SQLite file in a missing directory as state-unavailable, with the path and the fix', async () => {
    const path = join(await temporaryDirectory(), 'missing', 'state.sqlite');
    const error = await failure(openStateStore({ url: path, home: tmpdir() }));
    expect(error.code).toBe('state-unavailable');
    expect(error.summary).toContain(path);
    expect(error.detail).toContain('--state');
  });

  it('reports a file that is not a database as state-unavailable', async () => {
    const path = join(await temporaryDirectory(), 'notes.db');
    await writeFile(path, 'These are my notes, not a database. '.repeat(100));
    const error = await failure(openStateStore({ url: path, home: tmpdir() }));
    expect(error.code).toBe('state-unavailable');
    expect(error.summary).toContain('not a database');
  });

  it('reports an unreachable PostgreSQL server without its password', async () => {
    // Port 1 on the loopback address: nothing listens there, so the connection is refused at once.
    const error = await failure(
      openStateStore({ url: 'postgres://ops:s3cret@127.0.0.1:1/conductor', home: tmpdir() }),
    );
    expect(error.code).toBe('state-unavailable');
    expect(error.summary).toContain('postgres://ops:***@127.0.0.1:1/conductor');
    expect(error.summary).toContain('ECONNREFUSED');
    expect(`${error.summary} ${error.detail}`).not.toContain('s3cret');
    expect(error.detail).toContain('--state or state.url');
    expect(error.detail).toContain('server is running');
  });

  it('reports a missing PostgreSQL database and says how to create it', async () => {
    const url = new URL(testPostgresUrl());
    url.pathname = '/conductor_no_such_database';
    const error = await failure(openStateStore({ url: url.toString(), home: tmpdir() }));
    expect(error.code).toBe('state-unavailable');
    expect(error.summary).toContain('conductor_no_such_database');
    expect(error.detail).toContain('createdb');
  });

  it('reports a PostgreSQL user the server refuses and says to check the credentials', async () => {
    const url = new URL(testPostgresUrl());
    url.username = 'nobody';
    url.password = 'wrong';
    const error = await failure(openStateStore({ url: url.toString(), home: tmpdir() }));
    expect(error.code).toBe('state-unavailable');
    expect(error.summary).toContain('nobody:***@');
    expect(`${error.summary} ${error.detail}`).not.toContain('wrong');
    expect(error.detail).toContain('user name and password');
  });
});
