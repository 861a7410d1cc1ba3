// The StateStore specification on each backend: memory, a real SQLite file, a real PostgreSQL database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createMemoryStateStore } from '../../src/state/memory-backend.js';
import { openStateStore } from '../../src/state/open-state-store.js';
import { createTestDatabase, dropTestDatabases } from '../support/test-database.js';
import { describeStateStore } from './state-store-suite.js';

const directories: string[] = [];

afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  await dropTestDatabases();
});

describeStateStore('memory', {
  // A memory store is its own state: every handle on it is the same store.
  createState: async () => {
    const store = createMemoryStateStore();
    return async () => store;
  },
});

describeStateStore('SQLite', {
  createState: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'conductor-state-'));
    directories.push(directory);
    const url = `sqlite://${join(directory, 'state.sqlite')}`;
    return () => openStateStore({ url, home: directory });
  },
  persistent: true,
  takesOverStaleLocks: true,
});

describeStateStore('PostgreSQL', {
  createState: async () => {
    const url = await createTestDatabase();
    return () => openStateStore({ url, home: tmpdir() });
  },
  persistent: true,
});
