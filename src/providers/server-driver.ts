// How the gateway works one server: the native protocol driver, or a declarative adapter's driver. Both answer the
// same questions (which types, which operations) and the same five operations.
import type {
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  ProviderResource,
  ReadRequest,
  UpdateRequest,
  UpdateResult,
} from '../execute/provider-gateway.js';
import type { Operation, TypeReference } from './adapter.js';

export interface DriverCallOptions {
  signal?: AbortSignal;
}

/** What a server can do with one type; `missing` says why each unsupported operation is missing. */
export interface OperationSupport {
  create: boolean;
  read: boolean;
  update: boolean;
  delete: boolean;
  list: boolean;
  missing: Partial<Record<Operation, string>>;
}

/** A type as the server (or its adapter) describes it. */
export interface DriverType {
  type: string;
  description: string;
  /** JSON Schema of the properties. */
  schema?: Record<string, unknown>;
  outputs?: readonly string[];
  replaceOn?: readonly string[];
  sensitive?: readonly string[];
  createBeforeDestroy?: boolean;
  references?: readonly TypeReference[];
  operations: OperationSupport;
}

export interface ServerDriver {
  /** `native`, or the adapter's name. */
  readonly kind: string;
  types(options: DriverCallOptions): Promise<DriverType[]>;
  create(request: CreateRequest, options: DriverCallOptions): Promise<CreateResult>;
  /** A missing resource is undefined or a `not-found` ProviderError; the gateway makes both undefined. */
  read(request: ReadRequest, options: DriverCallOptions): Promise<ProviderResource | undefined>;
  update(request: UpdateRequest, options: DriverCallOptions): Promise<UpdateResult>;
  delete(request: DeleteRequest, options: DriverCallOptions): Promise<void>;
  list(request: ListRequest, options: DriverCallOptions): Promise<ProviderResource[]>;
}

export const ALL_OPERATIONS: OperationSupport = {
  create: true,
  read: true,
  update: true,
  delete: true,
  list: true,
  missing: {},
};
