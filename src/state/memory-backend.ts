// State held in memory: for tests, benchmarks and previews. Same key layout and code path as the persistent stores.
import type Keyv from 'keyv';
import type { CollectionName, LockManager, StateBackend } from './keyv-state-store.js';
import { createCollection, KeyvStateStore } from './keyv-state-store.js';
import { stateLockedError } from './lock-error.js';
import type { LockOwner } from './records.js';
import type { AcquireLockOptions, StateLock } from './state-store.js';

export function createMemoryStateStore(): KeyvStateStore {
  return new KeyvStateStore(new MemoryBackend());
}

class MemoryBackend implements StateBackend {
  readonly location = 'memory';
  readonly lock = new MemoryLock();
  private readonly collections = new Map<CollectionName, Keyv>();

  collection(name: CollectionName): Keyv {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = createCollection(new Map(), name);
      this.collections.set(name, collection);
    }
    return collection;
  }

  async close(): Promise<void> {}
}

class MemoryLock implements LockManager {
  private holder: LockOwner | undefined;
  private readonly released: Array<() => void> = [];

  async acquire(owner: LockOwner, options: AcquireLockOptions = {}): Promise<StateLock> {
    const started = Date.now();
    while (this.holder) {
      const remaining = (options.timeoutMs ?? 0) - (Date.now() - started);
      if (remaining <= 0 || options.signal?.aborted)
        throw stateLockedError(this.holder, 'memory', Date.now() - started);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        // Aborting wakes the waiter, which then gives up with who holds the lock.
        options.signal?.addEventListener('abort', wake, { once: true });
        this.released.push(wake);
      });
    }
    this.holder = owner;
    return {
      owner,
      release: async () => {
        if (this.holder?.token !== owner.token) return;
        this.holder = undefined;
        for (const wake of this.released.splice(0)) wake();
      },
    };
  }

  async read(): Promise<LockOwner | undefined> {
    return this.holder;
  }

  async forceUnlock(): Promise<LockOwner | undefined> {
    const previous = this.holder;
    this.holder = undefined;
    for (const wake of this.released.splice(0)) wake();
    return previous;
  }
}
