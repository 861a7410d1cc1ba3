// The sandbox's engines in this process, behind the executor's ProviderGateway: the same rules as the sandbox MCP
// servers (VLAN tags, address allocation, port conflicts) without starting processes. For tests of what sits above
// the gateway (the conversation, the answers); the MCP path itself is tested against the real servers.

import { ProviderError } from '../../src/execute/provider-error.js';
import type {
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  ProviderGateway,
  ProviderResource,
  ReadRequest,
  UpdateRequest,
  UpdateResult,
} from '../../src/execute/provider-gateway.js';
import { ProviderTypeCatalog } from '../../src/providers/provider-type-catalog.js';
import { describeType, SandboxEngine } from '../../src/sandbox/engine.js';
import { MemoryInventoryStore } from '../../src/sandbox/inventory-store.js';
import { sandboxProvider } from '../../src/sandbox/providers/index.js';
import { SandboxError } from '../../src/sandbox/sandbox-error.js';
import { SANDBOX_PROVIDERS, type SandboxProviderName } from '../../src/sandbox/server-command.js';

export class SandboxGateway implements ProviderGateway {
  private constructor(private readonly engines: ReadonlyMap<string, SandboxEngine>) {}

  static async open(providers: readonly SandboxProviderName[] = SANDBOX_PROVIDERS): Promise<SandboxGateway> {
    const engines = new Map<string, SandboxEngine>();
    for (const provider of providers) {
      engines.set(
        provider,
        await SandboxEngine.open({ provider: sandboxProvider(provider), store: new MemoryInventoryStore() }),
      );
    }
    return new SandboxGateway(engines);
  }

  /** What the sandbox servers say about their types, as the MCP gateway reports it. */
  types(): ProviderTypeCatalog {
    return new ProviderTypeCatalog(
      [...this.engines].flatMap(([server, engine]) =>
        engine.provider.types.map((spec) => ({
          ...describeType(spec),
          server,
          source: 'native',
          operations: { create: true, read: true, update: true, delete: true, list: true, missing: {} },
        })),
      ),
    );
  }

  engine(server: string): SandboxEngine {
    const engine = this.engines.get(server);
    if (!engine) throw new ProviderError({ code: 'server-unknown', message: `No server ${server}.`, server });
    return engine;
  }

  create(request: CreateRequest): Promise<CreateResult> {
    return this.call(request.server, () =>
      this.engine(request.server).create({
        type: request.type,
        name: request.name,
        properties: request.properties,
      }),
    );
  }

  read(request: ReadRequest): Promise<ProviderResource | undefined> {
    return this.call(request.server, async () => {
      try {
        return this.engine(request.server).read({ type: request.type, id: request.id });
      } catch (error) {
        if (SandboxError.isInstance(error) && error.code === 'not-found') return undefined;
        throw error;
      }
    });
  }

  update(request: UpdateRequest): Promise<UpdateResult> {
    return this.call(request.server, () =>
      this.engine(request.server).update({
        type: request.type,
        id: request.id,
        properties: request.properties,
      }),
    );
  }

  delete(request: DeleteRequest): Promise<void> {
    return this.call(request.server, async () => {
      try {
        await this.engine(request.server).delete({ type: request.type, id: request.id });
      } catch (error) {
        if (!(SandboxError.isInstance(error) && error.code === 'not-found')) throw error;
      }
    });
  }

  list(request: ListRequest): Promise<ProviderResource[]> {
    return this.call(
      request.server,
      async () => this.engine(request.server).list(request.type ? { type: request.type } : {}).resources,
    );
  }

  private async call<T>(server: string, body: () => Promise<T> | T): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (SandboxError.isInstance(error)) {
        throw new ProviderError({ code: error.code, message: error.message, server });
      }
      throw error;
    }
  }
}
