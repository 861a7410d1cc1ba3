// Values by server and resource name. Two levels of maps instead of a combined "server:name" key: the planner looks
// names up hundreds of thousands of times, and building a key string for each lookup dominated large plans.

export class NameIndex<V> {
  private readonly servers = new Map<string, Map<string, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(server: string, name: string): V | undefined {
    return this.servers.get(server)?.get(name);
  }

  has(server: string, name: string): boolean {
    return this.servers.get(server)?.has(name) ?? false;
  }

  set(server: string, name: string, value: V): void {
    let names = this.servers.get(server);
    if (!names) {
      names = new Map();
      this.servers.set(server, names);
    }
    if (!names.has(name)) this.count++;
    names.set(name, value);
  }

  *entries(): IterableIterator<[server: string, name: string, value: V]> {
    for (const [server, names] of this.servers) {
      for (const [name, value] of names) yield [server, name, value];
    }
  }

  *values(): IterableIterator<V> {
    for (const names of this.servers.values()) yield* names.values();
  }
}
