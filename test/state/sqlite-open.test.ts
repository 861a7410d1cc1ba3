// Several openers of one fresh SQLite state at once (a chat and a one-shot command started together, or one
// process's own connections): every open succeeds. SQLite answers SQLITE_BUSY at once, busy timeout or not, when
// connections would deadlock creating the table and switching the file to WAL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/open-state-store.js';

describe('opening a fresh SQLite state', () => {
  it('succeeds for every one of several concurrent openers, and they all see one state', async () => {
    for (let round = 0; round < 20; round++) {
      const home = mkdtempSync(join(tmpdir(), 'conductor-open-'));
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => openStateStore({ home })));
      const failures = results.filter((result) => result.status === 'rejected');
      expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
      const stores = results.map(
        (result) => (result as PromiseFulfilledResult<Awaited<ReturnType<typeof openStateStore>>>).value,
      );
      await stores[0]!.putDeployment({
        name: `round-${round}`,
        status: 'applied',
        revision: 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
      expect((await stores[5]!.listDeployments()).map((deployment) => deployment.name)).toEqual([
        `round-${round}`,
      ]);
      await Promise.all(stores.map((store) => store.close()));
    }
  }, 60_000);
});
