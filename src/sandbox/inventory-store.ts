// Where a sandbox server keeps its inventory between runs: `$CONDUCTOR_HOME/sandbox/<provider>.json`, rewritten whole
// after every change through a temporary file and a rename, so a crash leaves either the old or the new inventory and
// never half of one. Tests use the in-memory store.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { SandboxRecord } from './resource-record.js';

export interface InventoryStore {
  load(): Promise<SandboxRecord[]>;
  /** Replaces what is stored. Resolves once the new inventory is durable enough to survive a process crash. */
  save(records: readonly SandboxRecord[]): Promise<void>;
}

const FORMAT = 'conductor-sandbox-inventory';

const recordSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  provider: z.string(),
  resources: z.array(recordSchema),
});

/** `$CONDUCTOR_HOME/sandbox/<provider>.json`. */
export function sandboxInventoryFile(home: string, provider: string): string {
  return join(home, 'sandbox', `${provider}.json`);
}

export class MemoryInventoryStore implements InventoryStore {
  #records: SandboxRecord[];
  /** How many times the inventory was saved: tests check that refused calls write nothing. */
  saves = 0;

  constructor(records: readonly SandboxRecord[] = []) {
    this.#records = structuredClone([...records]);
  }

  async load(): Promise<SandboxRecord[]> {
    return structuredClone(this.#records);
  }

  async save(records: readonly SandboxRecord[]): Promise<void> {
    this.saves++;
    this.#records = structuredClone([...records]);
  }
}

export class FileInventoryStore implements InventoryStore {
  readonly file: string;
  readonly provider: string;
  #writes = 0;

  constructor(file: string, provider: string) {
    this.file = file;
    this.provider = provider;
  }

  async load(): Promise<SandboxRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(
        `The sandbox inventory ${this.file} is not a valid ${this.provider} inventory (${(error as Error).message.split('\n')[0]}). ` +
          'Move it aside to start with an empty inventory.',
      );
    }
    if (parsed.provider !== this.provider) {
      throw new Error(
        `The sandbox inventory ${this.file} belongs to provider "${parsed.provider}", not "${this.provider}". ` +
          'Move it aside to start with an empty inventory.',
      );
    }
    return parsed.resources;
  }

  async save(records: readonly SandboxRecord[]): Promise<void> {
    const body = { format: FORMAT, version: 1, provider: this.provider, resources: records };
    // A name no other writer uses: the rename is what makes the new inventory visible, all at once.
    const temporary = `${this.file}.${process.pid}.${++this.#writes}.tmp`;
    await mkdir(dirname(this.file), { recursive: true });
    try {
      await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, 'utf8');
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
