// An in-memory provider for tests and benchmarks: holds resources per server, answers after a configurable latency,
// fails where told to, and records every call (with start and end times) and how many ran at once per server.
// With `file`, its holdings survive the process: crash tests kill an apply and look at what the "provider" holds.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { compareText } from '../model/compare-text.js';
import { ProviderError } from './provider-error.js';
import type {
  CallOptions,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  Properties,
  ProviderGateway,
  ProviderResource,
  ReadRequest,
  UpdateRequest,
  UpdateResult,
} from './provider-gateway.js';

export type FakeOperation = 'create' | 'read' | 'update' | 'delete' | 'list';

/** A call as the fake's options see it. `attempt` counts calls of this operation on this resource, from 1. */
export interface FakeCall {
  operation: FakeOperation;
  server: string;
  type?: string;
  name?: string;
  id?: string;
  properties?: Properties;
  attempt: number;
}

export interface FakeCallRecord extends FakeCall {
  startedAt: number;
  endedAt?: number;
  outcome?: 'ok' | 'failed' | 'aborted';
  error?: string;
}

export interface FakeOutputsRequest {
  operation: 'create' | 'update';
  server: string;
  type: string;
  name: string;
  id: string;
  properties: Properties;
}

export interface FakeGatewayOptions {
  /** Milliseconds before each call answers (default 0: answered on the next microtask, no timer). */
  latencyMs?: number | ((call: FakeCall) => number);
  /** Return an error to make the call fail (after its latency, without any effect). */
  fail?: (call: FakeCall) => ProviderError | Error | undefined;
  /** Outputs besides `id` for a created or updated resource. */
  outputs?: (request: FakeOutputsRequest) => Properties;
  /** Whether names are unique per server and type (default true): a create with a taken name fails `name-taken`. */
  uniqueNames?: boolean | ((server: string, type: string) => boolean);
  /** Refuse calls beyond this many at once per server (`too-many-requests`, not retryable): limits made visible. */
  serverLimit?: number;
  /** Finish calls the caller gave up on (timed out) anyway, as a real server would: the outcome the caller never saw. */
  completeAbandonedCalls?: boolean;
  /** Keep the holdings in this JSON file: loaded at construction, rewritten atomically after every change. */
  file?: string;
  /** Clock for the call log (default performance.now). */
  now?: () => number;
}

interface ServerHoldings {
  nextId: number;
  resources: Map<string, ProviderResource>;
  /** How many resources hold each type + name: the name check without a scan of the server. */
  names: Map<string, number>;
}

interface StoredHoldings {
  servers: Record<string, { nextId: number; resources: ProviderResource[] }>;
}

export class FakeGateway implements ProviderGateway {
  /** Every call, in the order they started. */
  readonly calls: FakeCallRecord[] = [];
  readonly #servers = new Map<string, ServerHoldings>();
  readonly #inFlight = new Map<string, number>();
  readonly #maxInFlight = new Map<string, number>();
  readonly #attempts = new Map<string, number>();
  #totalInFlight = 0;
  #maxTotalInFlight = 0;
  readonly #options: FakeGatewayOptions;
  readonly #now: () => number;

  constructor(options: FakeGatewayOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    if (options.file && existsSync(options.file)) this.#load(options.file);
  }

  // --- ProviderGateway

  create(request: CreateRequest, options: CallOptions): Promise<CreateResult> {
    return this.#call(
      {
        operation: 'create',
        server: request.server,
        type: request.type,
        name: request.name,
        properties: request.properties,
      },
      options,
      () => {
        const holdings = this.#holdings(request.server);
        if (this.#namesAreUnique(request.server, request.type)) {
          for (const resource of holdings.resources.values()) {
            if (resource.type === request.type && resource.name === request.name) {
              throw new ProviderError({
                code: 'name-taken',
                message: `A ${request.type} named "${request.name}" already exists (id ${resource.id}).`,
                server: request.server,
              });
            }
          }
        }
        const id = `${request.server}-${holdings.nextId++}`;
        const outputs = this.#outputs(
          'create',
          request.server,
          request.type,
          request.name,
          id,
          request.properties,
        );
        holdings.resources.set(id, {
          id,
          name: request.name,
          type: request.type,
          properties: structuredClone(request.properties),
          outputs,
        });
        this.#save();
        return { id, outputs: structuredClone(outputs) };
      },
    );
  }

  read(request: ReadRequest, options: CallOptions): Promise<ProviderResource | undefined> {
    return this.#call(
      { operation: 'read', server: request.server, type: request.type, id: request.id },
      options,
      () => {
        const resource = this.#servers.get(request.server)?.resources.get(request.id);
        return resource && resource.type === request.type ? structuredClone(resource) : undefined;
      },
    );
  }

  update(request: UpdateRequest, options: CallOptions): Promise<UpdateResult> {
    return this.#call(
      {
        operation: 'update',
        server: request.server,
        type: request.type,
        name: request.name,
        id: request.id,
        properties: request.properties,
      },
      options,
      () => {
        const resource = this.#servers.get(request.server)?.resources.get(request.id);
        if (!resource || resource.type !== request.type) {
          throw new ProviderError({
            code: 'not-found',
            message: `No ${request.type} with id ${request.id}.`,
            server: request.server,
          });
        }
        resource.properties = structuredClone(request.properties);
        resource.outputs = this.#outputs(
          'update',
          request.server,
          request.type,
          resource.name,
          request.id,
          request.properties,
        );
        this.#save();
        return { outputs: structuredClone(resource.outputs) };
      },
    );
  }

  delete(request: DeleteRequest, options: CallOptions): Promise<void> {
    return this.#call(
      { operation: 'delete', server: request.server, type: request.type, name: request.name, id: request.id },
      options,
      () => {
        // Deleting what is already gone succeeds: the goal is reached either way.
        const holdings = this.#servers.get(request.server);
        if (holdings && remove(holdings, request.id)) this.#save();
      },
    );
  }

  list(request: ListRequest, options: CallOptions): Promise<ProviderResource[]> {
    return this.#call(
      { operation: 'list', server: request.server, ...(request.type ? { type: request.type } : {}) },
      options,
      () =>
        sortResources(
          [...(this.#servers.get(request.server)?.resources.values() ?? [])].filter(
            (resource) => request.type === undefined || resource.type === request.type,
          ),
        ).map((resource) => structuredClone(resource)),
    );
  }

  // --- for tests

  /** Puts resources on a server directly (no call is logged). Ids are generated unless given. */
  seed(
    server: string,
    resources: ReadonlyArray<
      Omit<ProviderResource, 'id' | 'outputs'> & { id?: string; outputs?: Properties }
    >,
  ): ProviderResource[] {
    const holdings = this.#holdings(server);
    const added = resources.map((resource) => {
      const id = resource.id ?? `${server}-${holdings.nextId++}`;
      const stored: ProviderResource = {
        id,
        name: resource.name,
        type: resource.type,
        properties: structuredClone(resource.properties),
        outputs: structuredClone(resource.outputs ?? { id }),
      };
      add(holdings, stored);
      return structuredClone(stored);
    });
    this.#save();
    return added;
  }

  /** What every server holds, sorted by server, type, name and id: comparable with toEqual. */
  snapshot(): Record<string, ProviderResource[]> {
    const result: Record<string, ProviderResource[]> = {};
    for (const server of [...this.#servers.keys()].sort(compareText)) {
      result[server] = sortResources([...this.#servers.get(server)!.resources.values()]).map((resource) =>
        structuredClone(resource),
      );
    }
    return result;
  }

  /** The most calls that ran at once on `server` (or on all servers together when omitted). */
  maxInFlight(server?: string): number {
    return server === undefined ? this.#maxTotalInFlight : (this.#maxInFlight.get(server) ?? 0);
  }

  inFlight(server?: string): number {
    return server === undefined ? this.#totalInFlight : (this.#inFlight.get(server) ?? 0);
  }

  // --- internals

  async #call<T>(call: Omit<FakeCall, 'attempt'>, options: CallOptions, effect: () => T): Promise<T> {
    const attemptKey = `${call.operation}\u0000${call.server}\u0000${call.type ?? ''}\u0000${call.name ?? call.id ?? ''}`;
    const attempt = (this.#attempts.get(attemptKey) ?? 0) + 1;
    this.#attempts.set(attemptKey, attempt);
    const full: FakeCall = { ...call, attempt };
    const record: FakeCallRecord = { ...full, startedAt: this.#now() };
    this.calls.push(record);
    const running = (this.#inFlight.get(call.server) ?? 0) + 1;
    this.#inFlight.set(call.server, running);
    this.#maxInFlight.set(call.server, Math.max(running, this.#maxInFlight.get(call.server) ?? 0));
    this.#totalInFlight++;
    this.#maxTotalInFlight = Math.max(this.#maxTotalInFlight, this.#totalInFlight);
    try {
      const limit = this.#options.serverLimit;
      if (limit !== undefined && running > limit) {
        throw new ProviderError({
          code: 'too-many-requests',
          message: `${running} calls at once; this server accepts ${limit}.`,
          server: call.server,
        });
      }
      const latency = this.#options.latencyMs;
      const milliseconds = typeof latency === 'function' ? latency(full) : (latency ?? 0);
      const abandonable = !this.#options.completeAbandonedCalls;
      if (milliseconds > 0) await sleep(milliseconds, abandonable ? options.signal : undefined);
      else await Promise.resolve();
      if (abandonable && options.signal.aborted) throw options.signal.reason ?? new Error('aborted');
      const failure = this.#options.fail?.(full);
      if (failure) throw failure;
      const value = effect();
      record.outcome = 'ok';
      return value;
    } catch (error) {
      record.outcome = options.signal.aborted ? 'aborted' : 'failed';
      record.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      record.endedAt = this.#now();
      this.#inFlight.set(call.server, this.#inFlight.get(call.server)! - 1);
      this.#totalInFlight--;
    }
  }

  #holdings(server: string): ServerHoldings {
    let holdings = this.#servers.get(server);
    if (!holdings) {
      holdings = { nextId: 1, resources: new Map(), names: new Map() };
      this.#servers.set(server, holdings);
    }
    return holdings;
  }

  #namesAreUnique(server: string, type: string): boolean {
    const unique = this.#options.uniqueNames ?? true;
    return typeof unique === 'function' ? unique(server, type) : unique;
  }

  #outputs(
    operation: 'create' | 'update',
    server: string,
    type: string,
    name: string,
    id: string,
    properties: Properties,
  ): Properties {
    const extra = this.#options.outputs?.({ operation, server, type, name, id, properties }) ?? {};
    return { id, ...structuredClone(extra) };
  }

  #load(file: string): void {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredHoldings;
    for (const [server, saved] of Object.entries(stored.servers)) {
      const holdings: ServerHoldings = { nextId: saved.nextId, resources: new Map(), names: new Map() };
      for (const resource of saved.resources) add(holdings, resource);
      this.#servers.set(server, holdings);
    }
  }

  /** Written to a temporary file and renamed over the old one, so a process killed mid-write leaves a whole file. */
  #save(): void {
    const file = this.#options.file;
    if (!file) return;
    const stored: StoredHoldings = { servers: {} };
    for (const [server, holdings] of this.#servers) {
      stored.servers[server] = { nextId: holdings.nextId, resources: [...holdings.resources.values()] };
    }
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored));
    renameSync(temporary, file);
  }
}

function nameKey(resource: { type: string; name: string }): string {
  return `${resource.type}\u0000${resource.name}`;
}

function add(holdings: ServerHoldings, resource: ProviderResource): void {
  remove(holdings, resource.id);
  holdings.resources.set(resource.id, resource);
  const key = nameKey(resource);
  holdings.names.set(key, (holdings.names.get(key) ?? 0) + 1);
}

function remove(holdings: ServerHoldings, id: string): boolean {
  const resource = holdings.resources.get(id);
  if (!resource) return false;
  holdings.resources.delete(id);
  const key = nameKey(resource);
  const count = holdings.names.get(key)! - 1;
  if (count === 0) holdings.names.delete(key);
  else holdings.names.set(key, count);
  return true;
}

function sortResources(resources: ProviderResource[]): ProviderResource[] {
  return resources.sort(
    (a, b) => compareText(a.type, b.type) || compareText(a.name, b.name) || compareText(a.id, b.id),
  );
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
