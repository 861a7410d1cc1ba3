// The declarative adapter format: how a third-party MCP server's tools act as Conductor's create, read, update, delete
// and list for each resource type it holds. One file per server kind in ./adapters; the adapter driver runs them.
//
// Per type and operation an adapter says which tool(s) to call (a name, or alternatives in order of preference), how
// each call's arguments are built from the request, and where the result's id, outputs or resources are. An operation
// the server cannot do is left out, and `unsupported` says why: review, destroy and rollback show it before anything
// runs, and a call of it fails with `operation-unsupported` saying what remains.
import type { z } from 'zod';
import type {
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ProviderResource,
  ReadRequest,
  UpdateRequest,
  UpdateResult,
} from '../execute/provider-gateway.js';
import type { nativeReferenceSchema } from './native-protocol.js';
import type { ToolOutput } from './tool-result.js';

/** A property naming another resource (`defaultBackend` → `service:haproxy:backend`): an edge in the plan. */
export type TypeReference = z.infer<typeof nativeReferenceSchema>;

export const OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A tool name, or names in order of preference: the first one the server offers is called. */
export type ToolChoice = string | readonly string[];

/** A list of one adapter type (the gateway lists each type separately). */
export interface AdapterListRequest {
  server: string;
  type: string;
}

/** What argument builders and result readers see. */
export interface StepScope<Request, Session> {
  request: Request;
  /** What the adapter's `session` lookup returned for this connection. */
  session: Session;
  server: string;
  /** Outputs of the earlier steps of this operation, in order; undefined for a step that was skipped. */
  results: readonly (ToolOutput | undefined)[];
}

export interface ToolStep<Request, Session> {
  tool: ToolChoice;
  /** The tool's arguments. Throw an AdapterError (`invalid-properties`) for a request the tool cannot express. */
  arguments(scope: StepScope<Request, Session>): Record<string, unknown>;
  /** The step runs only when this returns true (default: always). */
  when?(scope: StepScope<Request, Session>): boolean;
}

export interface OperationSpec<Request, Result, Session> {
  /** Tool calls in order. A function when the calls depend on the request or session (one per directory, say). */
  steps:
    | readonly ToolStep<Request, Session>[]
    | ((scope: Omit<StepScope<Request, Session>, 'results'>) => readonly ToolStep<Request, Session>[]);
  /** The tools the operation needs, when `steps` is a function (otherwise read from the steps). */
  tools?: readonly ToolChoice[];
  /** Where the answer is: `output` is the last step's output (its structuredContent or text JSON in `data`). */
  result(scope: StepScope<Request, Session> & { output: ToolOutput }): Result;
}

export interface AdapterType<Session> {
  description: string;
  /** JSON Schema of the properties create and update accept. */
  schema: Record<string, unknown>;
  outputs?: readonly string[];
  replaceOn?: readonly string[];
  sensitive?: readonly string[];
  createBeforeDestroy?: boolean;
  references?: readonly TypeReference[];
  create?: OperationSpec<CreateRequest, CreateResult, Session>;
  /** Undefined from the result reader (or a `not-found` error) when the resource does not exist. */
  read?: OperationSpec<ReadRequest, ProviderResource | undefined, Session>;
  update?: OperationSpec<UpdateRequest, UpdateResult, Session>;
  /** A `not-found` error counts as done. */
  delete?: OperationSpec<DeleteRequest, void, Session>;
  list?: OperationSpec<AdapterListRequest, ProviderResource[], Session>;
  /** Why each missing operation is missing, in words a user can act on. */
  unsupported?: Partial<Record<Operation, string>>;
}

/** Maps a failed tool call's text (`isError` results) to a stable code. The first rule that matches wins. */
export interface ErrorRule {
  pattern: RegExp;
  code: string;
  retryable?: boolean;
}

export interface SessionLookup<Session> {
  tool: ToolChoice;
  arguments?: Record<string, unknown>;
  result(output: ToolOutput): Session;
}

export interface Adapter<Session = unknown> {
  /** What `conductor.adapter` names it by. */
  name: string;
  /** The server it is for, e.g. `@modelcontextprotocol/server-memory`. */
  description: string;
  /** Chosen for a server with no `conductor.adapter` that offers all these tools (or whose name matches). */
  detect: { tools: readonly string[]; serverName?: RegExp };
  /** Asked once per connection: facts every operation needs (the directories a filesystem server may use). */
  session?: SessionLookup<Session>;
  errors?: readonly ErrorRule[];
  types: Readonly<Record<string, AdapterType<Session>>>;
}

/**
 * Checks an adapter against its session type, then erases that type so adapters of every kind fit one list:
 * `export const filesystemAdapter = defineAdapter<{ directories: string[] }>({ ... })`.
 */
export function defineAdapter<Session = undefined>(adapter: Adapter<Session>): Adapter {
  return adapter as unknown as Adapter;
}
