// The executor's only view of the outside world: create, read, update, delete and list resources by type on a server.
// The MCP implementation lives in src/providers; tests and benchmarks use the fake in fake-gateway.ts.

export type Properties = Record<string, unknown>;

export interface ResourceKey {
  server: string;
  type: string;
}

export interface CreateRequest extends ResourceKey {
  name: string;
  /** Resolved properties: no references, no unknown markers. */
  properties: Properties;
}

export interface CreateResult {
  /** The provider's id for the new resource. */
  id: string;
  outputs: Properties;
}

export interface ReadRequest extends ResourceKey {
  id: string;
}

/** What a provider holds for one resource. */
export interface ProviderResource {
  id: string;
  name: string;
  type: string;
  properties: Properties;
  outputs: Properties;
}

export interface UpdateRequest extends ResourceKey {
  id: string;
  name: string;
  properties: Properties;
}

export interface UpdateResult {
  outputs: Properties;
}

export interface DeleteRequest extends ResourceKey {
  id: string;
  name: string;
}

export interface ListRequest {
  server: string;
  type?: string;
}

export interface CallOptions {
  /** Aborted when the call times out (or the user insists on stopping at once). */
  signal: AbortSignal;
}

export interface ProviderGateway {
  create(request: CreateRequest, options: CallOptions): Promise<CreateResult>;
  /** Undefined when the resource does not exist. */
  read(request: ReadRequest, options: CallOptions): Promise<ProviderResource | undefined>;
  update(request: UpdateRequest, options: CallOptions): Promise<UpdateResult>;
  /** Deleting what is already gone succeeds: the goal is reached either way. */
  delete(request: DeleteRequest, options: CallOptions): Promise<void>;
  list(request: ListRequest, options: CallOptions): Promise<ProviderResource[]>;
}
