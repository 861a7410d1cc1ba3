// The generic sandbox engine: one simulated provider's inventory and the native protocol's operations over it.
// Every call is checked completely before anything changes; a change is saved before it is answered; changes run one
// at a time so each is checked against the inventory the previous one left.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { NativeResource, NativeType } from '../providers/native-protocol.js';
import { InventoryIndex } from './inventory-index.js';
import { type InventoryStore, MemoryInventoryStore } from './inventory-store.js';
import { describePropertyIssues } from './property-issues.js';
import type { PropertyMap, SandboxRecord } from './resource-record.js';
import { SandboxError } from './sandbox-error.js';
import type { SandboxProvider, TypeSpec } from './type-spec.js';

export interface SandboxEngineOptions {
  provider: SandboxProvider;
  /** Default: in memory, empty. */
  store?: InventoryStore;
  clock?: () => Date;
}

export interface CreateInput {
  type: string;
  name: string;
  properties: PropertyMap;
}

export interface TypedIdInput {
  type: string;
  id: string;
}

export interface UpdateInput extends TypedIdInput {
  properties: PropertyMap;
}

const MAX_NAME_LENGTH = 128;

export class SandboxEngine {
  readonly provider: SandboxProvider;
  readonly #store: InventoryStore;
  readonly #clock: () => Date;
  readonly #specs: ReadonlyMap<string, TypeSpec>;
  #inventory: InventoryIndex;
  /** The tail of the queue of changes: each change starts when the previous one has been saved (or refused). */
  #changes: Promise<unknown> = Promise.resolve();

  private constructor(
    options: SandboxEngineOptions,
    store: InventoryStore,
    records: readonly SandboxRecord[],
  ) {
    this.provider = options.provider;
    this.#store = store;
    this.#clock = options.clock ?? (() => new Date());
    this.#specs = new Map(options.provider.types.map((spec) => [spec.type, spec]));
    this.#inventory = new InventoryIndex(records, this.#clock);
  }

  /** Loads the stored inventory. Fails (with the file and the fix) when the store holds something unreadable. */
  static async open(options: SandboxEngineOptions): Promise<SandboxEngine> {
    const store = options.store ?? new MemoryInventoryStore();
    return new SandboxEngine(options, store, await store.load());
  }

  types(): NativeType[] {
    return this.provider.types.map((spec) => describeType(spec));
  }

  /** The name of a resource, for matching fault rules; undefined when there is no such resource. */
  nameOf(type: string, id: string): string | undefined {
    const record = this.#inventory.byId(id);
    return record?.type === type ? record.name : undefined;
  }

  create(input: CreateInput): Promise<{ id: string; outputs: PropertyMap }> {
    return this.#change(async () => {
      const spec = this.#spec(input.type);
      checkName(input.type, input.name);
      const taken = this.#inventory.byName(input.type, input.name);
      if (taken) {
        throw new SandboxError(
          'name-taken',
          `A ${input.type} named "${input.name}" already exists (id ${taken.id}). Choose another name, or update or delete the existing one.`,
        );
      }
      const properties = parseProperties(spec, input.name, input.properties);
      const id = spec.newId(this.#inventory, { name: input.name, properties });
      const outputs = spec.realize({ id, name: input.name, properties }, this.#inventory);
      const now = this.#clock().toISOString();
      const record: SandboxRecord = {
        id,
        type: input.type,
        name: input.name,
        properties: structuredClone(input.properties),
        outputs: { id, name: input.name, ...outputs },
        createdAt: now,
        updatedAt: now,
      };
      await this.#commit([...this.#inventory.records, record]);
      return { id, outputs: structuredClone(record.outputs) };
    });
  }

  read(input: TypedIdInput): NativeResource {
    return toNative(this.#find(input));
  }

  update(input: UpdateInput): Promise<{ outputs: PropertyMap }> {
    return this.#change(async () => {
      const spec = this.#spec(input.type);
      const previous = this.#find(input);
      const properties = parseProperties(spec, previous.name, input.properties);
      const changed = (spec.replaceOn ?? []).filter(
        (key) => !isDeepStrictEqual(previous.properties[key], input.properties[key]),
      );
      if (changed.length > 0) {
        throw new SandboxError(
          'requires-replacement',
          `${input.type} "${previous.name}" cannot change ${changed.join(', ')} in place. ` +
            'Delete it and create it again with the new value (Conductor plans such a change as a replace).',
        );
      }
      const outputs = spec.realize(
        { id: previous.id, name: previous.name, properties, previous },
        this.#inventory.without(previous.id),
      );
      const record: SandboxRecord = {
        ...previous,
        properties: structuredClone(input.properties),
        outputs: { id: previous.id, name: previous.name, ...outputs },
        updatedAt: this.#clock().toISOString(),
      };
      await this.#commit(
        this.#inventory.records.map((existing) => (existing.id === previous.id ? record : existing)),
      );
      return { outputs: structuredClone(record.outputs) };
    });
  }

  delete(input: TypedIdInput): Promise<{ deleted: true }> {
    return this.#change(async () => {
      this.#spec(input.type);
      const target = this.#find(input);
      const dependents = this.#inventory.records.filter(
        (record) =>
          record.id !== target.id &&
          (this.#specs.get(record.type)?.uses?.(record, this.#inventory) ?? []).some(
            (used) => used.id === target.id,
          ),
      );
      if (dependents.length > 0) {
        const names = dependents.map((record) => `${record.type} "${record.name}"`).join(', ');
        throw new SandboxError(
          'conflict',
          `${target.type} "${target.name}" is still used by ${names}. Delete ${dependents.length === 1 ? 'it' : 'them'} ` +
            `first, or change ${dependents.length === 1 ? 'it' : 'them'} to stop using "${target.name}".`,
        );
      }
      await this.#commit(this.#inventory.records.filter((record) => record.id !== target.id));
      return { deleted: true as const };
    });
  }

  list(input: { type?: string } = {}): { resources: NativeResource[] } {
    if (input.type !== undefined) this.#spec(input.type);
    const records = input.type === undefined ? this.#inventory.records : this.#inventory.all(input.type);
    return { resources: records.map(toNative) };
  }

  #spec(type: string): TypeSpec {
    const spec = this.#specs.get(type);
    if (!spec) {
      throw new SandboxError(
        'unknown-type',
        `The ${this.provider.name} sandbox has no resource type "${type}". Its types are: ${[...this.#specs.keys()].join(', ')}.`,
      );
    }
    return spec;
  }

  #find(input: TypedIdInput): SandboxRecord {
    this.#spec(input.type);
    const record = this.#inventory.byId(input.id);
    if (!record || record.type !== input.type) {
      const other = record ? ` (that id is a ${record.type})` : '';
      throw new SandboxError(
        'not-found',
        `No ${input.type} with id "${input.id}" exists on ${this.provider.name}${other}. List the resources to see what exists.`,
      );
    }
    return record;
  }

  /** Saves first, then makes the new inventory visible: a failed save changes nothing. */
  async #commit(records: SandboxRecord[]): Promise<void> {
    await this.#store.save(records);
    this.#inventory = new InventoryIndex(records, this.#clock);
  }

  #change<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#changes.then(operation);
    this.#changes = result.catch(() => undefined);
    return result;
  }
}

export function describeType(spec: TypeSpec): NativeType {
  const type: NativeType = {
    type: spec.type,
    description: spec.description,
    schema: z.toJSONSchema(spec.schema, { io: 'input' }) as Record<string, unknown>,
    outputs: [...new Set(['id', 'name', ...spec.outputs])],
    replaceOn: [...(spec.replaceOn ?? [])],
    // Names are unique per type: a replacement must free the name before the new resource can take it.
    createBeforeDestroy: false,
  };
  if (spec.sensitive?.length) type.sensitive = [...spec.sensitive];
  if (spec.references?.length) type.references = [...spec.references];
  return type;
}

function checkName(type: string, name: string): void {
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH || [...name].some((character) => character < ' ')) {
    throw new SandboxError(
      'invalid-properties',
      `"${name}" is not a usable ${type} name: use 1-${MAX_NAME_LENGTH} printable characters.`,
    );
  }
}

function parseProperties(spec: TypeSpec, name: string, properties: PropertyMap): PropertyMap {
  const parsed = spec.schema.safeParse(properties);
  if (parsed.success) return parsed.data;
  const known = knownProperties(spec);
  throw new SandboxError(
    'invalid-properties',
    `Invalid properties for ${spec.type} "${name}": ${describePropertyIssues(parsed.error.issues, known)}.`,
  );
}

function knownProperties(spec: TypeSpec): string[] {
  const shape = (spec.schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function toNative(record: SandboxRecord): NativeResource {
  return structuredClone({
    id: record.id,
    type: record.type,
    name: record.name,
    properties: record.properties,
    outputs: record.outputs,
  });
}
