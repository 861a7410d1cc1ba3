// Writes resource records for an apply (and its rollback) and remembers, per address, what state said before the
// apply first touched it and what it says now: the net changes that become the apply's revision.
import { isDeepStrictEqual } from 'node:util';
import type { ResourceRecord } from '../model/resource-record.js';
import type { RevisionRecord } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';

export type ResourceChange = RevisionRecord['changes'][number];

interface Touched {
  server: string;
  name: string;
  initial: ResourceRecord | undefined;
  current: ResourceRecord | undefined;
}

export class ResourceStateWriter {
  /** In the order addresses were first touched: a removal under a name comes before a new record under it. */
  readonly #touched = new Map<string, Touched>();

  constructor(private readonly state: StateStore) {}

  /** Stores `record`; `previous` is what state held under its address before (undefined: nothing). */
  async put(record: ResourceRecord, previous: ResourceRecord | undefined): Promise<void> {
    this.#touch(record.address, record.server, record.name, previous).current = record;
    await this.state.putResource(record);
  }

  /** Removes the record of `previous`, which state held until now. */
  async remove(previous: ResourceRecord): Promise<void> {
    this.#touch(previous.address, previous.server, previous.name, previous).current = undefined;
    await this.state.removeResource(previous.server, previous.name);
  }

  /** What state holds now for an address this apply touched; undefined when untouched or removed. */
  current(address: string): ResourceRecord | undefined {
    return this.#touched.get(address)?.current;
  }

  /** Addresses whose record differs from before the apply, with the record now (absent when removed). */
  netChanges(): ResourceChange[] {
    const changes: ResourceChange[] = [];
    for (const [address, touched] of this.#touched) {
      if (isDeepStrictEqual(touched.initial, touched.current)) continue;
      const change: ResourceChange = { address, server: touched.server, name: touched.name };
      if (touched.current) change.record = touched.current;
      changes.push(change);
    }
    return changes;
  }

  #touch(address: string, server: string, name: string, previous: ResourceRecord | undefined): Touched {
    let touched = this.#touched.get(address);
    if (!touched) {
      touched = { server, name, initial: previous, current: previous };
      this.#touched.set(address, touched);
    }
    return touched;
  }
}
