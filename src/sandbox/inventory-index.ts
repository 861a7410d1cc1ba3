// A read-only view of a server's resources, indexed by id and by type and name, that type rules query while they
// decide. Rebuilt after each change: sandbox inventories are small and a fresh index cannot go stale.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxRecord } from './resource-record.js';
import type { SandboxContext } from './type-spec.js';

export class InventoryIndex implements SandboxContext {
  readonly records: readonly SandboxRecord[];
  readonly #byId = new Map<string, SandboxRecord>();
  readonly #byType = new Map<string, SandboxRecord[]>();
  readonly #clock: () => Date;

  constructor(records: readonly SandboxRecord[], clock: () => Date = () => new Date()) {
    this.records = records;
    this.#clock = clock;
    for (const record of records) {
      this.#byId.set(record.id, record);
      let ofType = this.#byType.get(record.type);
      if (!ofType) {
        ofType = [];
        this.#byType.set(record.type, ofType);
      }
      ofType.push(record);
    }
  }

  /** The same inventory without one resource: what a resource being updated is checked against. */
  without(id: string): InventoryIndex {
    return new InventoryIndex(
      this.records.filter((record) => record.id !== id),
      this.#clock,
    );
  }

  all(type: string): readonly SandboxRecord[] {
    return this.#byType.get(type) ?? [];
  }

  byName(type: string, name: string): SandboxRecord | undefined {
    return this.all(type).find((record) => record.name === name);
  }

  byId(id: string): SandboxRecord | undefined {
    return this.#byId.get(id);
  }

  randomHex(length: number): string {
    return randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  }

  uuid(): string {
    return randomUUID();
  }

  now(): Date {
    return this.#clock();
  }
}
