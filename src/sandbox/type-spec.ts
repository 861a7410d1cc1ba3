// A resource type of a simulated provider: its property schema, the rules it enforces against what the server already
// holds, and the outputs it computes. The engine is generic; everything a real system would check lives here.
import type { z } from 'zod';
import type { NativeType } from '../providers/native-protocol.js';
import type { PropertyMap, SandboxRecord } from './resource-record.js';

/** What a type's rules may look at: the other resources on the same server, and sources of fresh ids. */
export interface SandboxContext {
  /** Resources of a type, oldest first. While a resource is being created or updated, it is not among them. */
  all(type: string): readonly SandboxRecord[];
  byName(type: string, name: string): SandboxRecord | undefined;
  byId(id: string): SandboxRecord | undefined;
  /** Lowercase hex digits from a cryptographic source (ids must not collide across restarts). */
  randomHex(length: number): string;
  uuid(): string;
  now(): Date;
}

/** A resource about to be created (no `previous`) or updated (`previous` is what the server holds now). */
export interface PendingResource<Properties> {
  id: string;
  name: string;
  properties: Properties;
  previous?: SandboxRecord;
}

/** A stored resource with its properties typed (they passed the type's schema when they were stored). */
export interface StoredResource<Properties> extends Omit<SandboxRecord, 'properties'> {
  properties: Properties;
}

export interface TypeSpec<Properties extends PropertyMap = PropertyMap> {
  /** Without the server prefix, e.g. `network:vlan`. */
  type: string;
  description: string;
  /** Validates create and update input; converted to the JSON Schema that `resource_types` publishes. */
  schema: z.ZodType<Properties>;
  /** Outputs besides `id` and `name`, which every resource has. */
  outputs: readonly string[];
  replaceOn?: readonly string[];
  sensitive?: readonly string[];
  references?: NativeType['references'];
  /** The provider's id for a new resource: `i-0abc...`, an ARN, a uuid. Called after the properties passed the schema. */
  newId(context: SandboxContext, resource: { name: string; properties: Properties }): string;
  /**
   * Checks the resource against everything else on the server (conflicts, capacity, the resources it names) and
   * returns its outputs. Throws a SandboxError to refuse. Has no side effects: the engine stores the result.
   */
  realize(resource: PendingResource<Properties>, context: SandboxContext): PropertyMap;
  /** The resources this one uses: none of them may be deleted while it exists. */
  uses?(resource: StoredResource<Properties>, context: SandboxContext): readonly SandboxRecord[];
}

/** A simulated provider: one MCP server's worth of types. */
export interface SandboxProvider {
  name: string;
  description: string;
  types: readonly TypeSpec[];
}

/**
 * Keeps a spec's property type inside its own file: the engine only hands it properties its schema accepted, so
 * widening to the general TypeSpec is sound.
 */
export function defineType<Properties extends PropertyMap>(spec: TypeSpec<Properties>): TypeSpec {
  return spec as unknown as TypeSpec;
}

/** A stored resource's properties with the type its schema gave them. */
export function propertiesOf<Properties>(record: SandboxRecord): Properties {
  return record.properties as Properties;
}
