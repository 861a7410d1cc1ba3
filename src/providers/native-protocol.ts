// The native resource protocol (DESIGN.md): the MCP tools a server exposes to work with Conductor without an adapter.
// The sandbox servers implement it; the gateway speaks it. Every result carries `structuredContent` matching these
// schemas (and the same JSON as text content, for clients that only read text). Failures are `isError` results whose
// structuredContent is `{ error: NativeError }`.
import { z } from 'zod';

export const NATIVE_TOOLS = {
  types: 'resource_types',
  create: 'resource_create',
  read: 'resource_read',
  update: 'resource_update',
  delete: 'resource_delete',
  list: 'resource_list',
} as const;

/** A server speaks the native protocol when it lists all of these tools. */
export const NATIVE_TOOL_NAMES: readonly string[] = Object.values(NATIVE_TOOLS);

const properties = z.record(z.string(), z.unknown());

/** A property whose value names another resource: it becomes a dependency edge in the plan. */
export const nativeReferenceSchema = z.object({
  /** Top-level property name, e.g. `defaultBackend`. */
  property: z.string(),
  /** The type of the resource it names, on the same server, e.g. `service:haproxy:backend`. */
  type: z.string(),
  /** Whether the value is the other resource's name (default) or its id. */
  by: z.enum(['name', 'id']).optional(),
  /** Values that name something built into the server rather than a resource (docker's `bridge`, `host`). */
  builtins: z.array(z.string()).optional(),
});

export const nativeTypeSchema = z.object({
  /** Without the server prefix: `network:vlan`. */
  type: z.string(),
  description: z.string(),
  /** JSON Schema of the properties (what create and update accept). */
  schema: z.record(z.string(), z.unknown()),
  /** Output names the provider returns, e.g. `device`, `ip`, `arn`. */
  outputs: z.array(z.string()).optional(),
  /** Top-level properties whose change needs a new resource (replace) rather than an update. */
  replaceOn: z.array(z.string()).optional(),
  /** Whether a replacement is created before the old one is deleted (default false for the sandbox: names are unique). */
  createBeforeDestroy: z.boolean().optional(),
  /** Property paths holding secrets. */
  sensitive: z.array(z.string()).optional(),
  references: z.array(nativeReferenceSchema).optional(),
});
export type NativeType = z.infer<typeof nativeTypeSchema>;

export const nativeResourceSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  properties,
  outputs: properties,
});
export type NativeResource = z.infer<typeof nativeResourceSchema>;

export const nativeErrorSchema = z.object({
  /** Stable, e.g. `not-found`, `name-taken`, `invalid-properties`, `conflict`, `unavailable`. */
  code: z.string(),
  /** What is wrong and what to change. */
  message: z.string(),
  /** Whether the same call may succeed later (busy, rate limited, transient). */
  retryable: z.boolean().optional(),
});
export type NativeError = z.infer<typeof nativeErrorSchema>;

// Tool inputs.
export const typesInputSchema = z.object({});
export const createInputSchema = z.object({ type: z.string(), name: z.string(), properties });
export const readInputSchema = z.object({ type: z.string(), id: z.string() });
export const updateInputSchema = z.object({ type: z.string(), id: z.string(), properties });
export const deleteInputSchema = z.object({ type: z.string(), id: z.string() });
export const listInputSchema = z.object({ type: z.string().optional() });

// Tool results (structuredContent).
export const typesResultSchema = z.object({ types: z.array(nativeTypeSchema) });
export const createResultSchema = z.object({ id: z.string(), outputs: properties });
/** A read of an id that does not exist is an error with code `not-found`. */
export const readResultSchema = nativeResourceSchema;
export const updateResultSchema = z.object({ outputs: properties });
/** Deleting an id that does not exist is an error with code `not-found` (the gateway treats it as done). */
export const deleteResultSchema = z.object({ deleted: z.literal(true) });
export const listResultSchema = z.object({ resources: z.array(nativeResourceSchema) });
export const errorResultSchema = z.object({ error: nativeErrorSchema });
