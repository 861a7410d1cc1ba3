// Current state held in memory: for tests, previews and until the persistent store exists.
import type { ResourceRecord, ServerName, StateReader } from '../model/resource-record.js';

export class MemoryState implements StateReader {
  private readonly records = new Map<string, ResourceRecord>();

  constructor(records: Iterable<ResourceRecord> = []) {
    for (const record of records) this.put(record);
  }

  /** Adds or replaces a record; names are unique per server, so an existing one with that name is replaced. */
  put(record: ResourceRecord): void {
    this.records.set(keyOf(record.server, record.name), record);
  }

  remove(server: string, name: string): boolean {
    return this.records.delete(keyOf(server, name));
  }

  all(): ResourceRecord[] {
    return [...this.records.values()];
  }

  async resourcesOf(deployment: string): Promise<ResourceRecord[]> {
    return this.all().filter((record) => record.deployment === deployment);
  }

  async findByName(keys: readonly ServerName[]): Promise<Array<ResourceRecord | undefined>> {
    return keys.map((key) => this.records.get(keyOf(key.server, key.name)));
  }

  async dependentsOf(addresses: readonly string[]): Promise<ResourceRecord[]> {
    const wanted = new Set(addresses);
    return this.all().filter((record) => record.dependsOn.some((address) => wanted.has(address)));
  }

  async namesOn(server: string): Promise<string[]> {
    return this.all()
      .filter((record) => record.server === server)
      .map((record) => record.name);
  }
}

function keyOf(server: string, name: string): string {
  return `${server}\u0000${name}`;
}
