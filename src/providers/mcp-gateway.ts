// The executor's ProviderGateway over MCP servers: routes each call by server name to that server's driver (the
// native protocol, or a declarative adapter), and answers the questions the planner, review and `conductor servers`
// ask: which types each server holds, what each type supports, and how each server is doing.
// Every failure is a ProviderError about one server; the other servers keep working.
import { ProviderError } from '../execute/provider-error.js';
import type {
  CallOptions,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  ProviderGateway,
  ProviderResource,
  ReadRequest,
  UpdateRequest,
  UpdateResult,
} from '../execute/provider-gateway.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { abortable } from './abortable.js';
import type { Adapter } from './adapter.js';
import { adapterNames, BUILTIN_ADAPTERS } from './adapters/index.js';
import { chooseDriver } from './choose-driver.js';
import type { ConnectedTransport, ConnectionState, McpConnection } from './mcp-connection.js';
import { ProviderTypeCatalog, type ProviderTypeInfo } from './provider-type-catalog.js';
import { serverDiagnostic } from './server-diagnostic.js';
import type { OperationSupport, ServerDriver } from './server-driver.js';

export interface McpGatewayOptions {
  /** Default: the adapters Conductor ships. */
  adapters?: readonly Adapter[];
}

export interface ServerStatus {
  name: string;
  transport: ConnectedTransport;
  state: ConnectionState;
  /** Why the server is not connected, in one line (the diagnostic has the whole story: stderr tail, fix). */
  reason?: string;
  toolCount?: number;
  types?: string[];
  /** `native`, an adapter's name, or undefined when neither fits the server. */
  driver?: string;
  /** Where a stdio server's stderr goes. */
  logFile?: string;
  diagnostic?: Diagnostic;
}

export interface ServerSelection {
  /** Only these servers (default: all). */
  servers?: readonly string[];
  signal?: AbortSignal;
}

export class McpGateway implements ProviderGateway {
  private readonly connections = new Map<string, McpConnection>();
  private readonly drivers = new Map<string, Promise<ServerDriver | undefined>>();
  private readonly adapters: readonly Adapter[];

  constructor(connections: Iterable<McpConnection>, options: McpGatewayOptions = {}) {
    for (const connection of connections) this.connections.set(connection.name, connection);
    this.adapters = options.adapters ?? BUILTIN_ADAPTERS;
  }

  /** Configured server names, in configuration order. */
  get serverNames(): string[] {
    return [...this.connections.keys()];
  }

  connection(server: string): McpConnection | undefined {
    return this.connections.get(server);
  }

  async create(request: CreateRequest, options: CallOptions): Promise<CreateResult> {
    const driver = await this.driver(request.server, options.signal);
    return await driver.create(request, options);
  }

  async read(request: ReadRequest, options: CallOptions): Promise<ProviderResource | undefined> {
    const driver = await this.driver(request.server, options.signal);
    try {
      return await driver.read(request, options);
    } catch (error) {
      if (ProviderError.isInstance(error) && error.code === 'not-found') return undefined;
      throw error;
    }
  }

  async update(request: UpdateRequest, options: CallOptions): Promise<UpdateResult> {
    const driver = await this.driver(request.server, options.signal);
    return await driver.update(request, options);
  }

  async delete(request: DeleteRequest, options: CallOptions): Promise<void> {
    const driver = await this.driver(request.server, options.signal);
    try {
      await driver.delete(request, options);
    } catch (error) {
      // Already gone: the goal of a delete is reached either way.
      if (ProviderError.isInstance(error) && error.code === 'not-found') return;
      throw error;
    }
  }

  async list(request: ListRequest, options: CallOptions): Promise<ProviderResource[]> {
    const driver = await this.driver(request.server, options.signal);
    return await driver.list(request, options);
  }

  /** What the server can do with a type; undefined when the server has no such type. */
  async capabilities(
    server: string,
    type: string,
    signal?: AbortSignal,
  ): Promise<OperationSupport | undefined> {
    const driver = await this.driver(server, signal);
    const types = await driver.types({ signal });
    return types.find((candidate) => candidate.type === type)?.operations;
  }

  /**
   * Every type the (selected) servers hold, for the planner. Servers that cannot be reached or have no adapter add a
   * diagnostic and no types; the others are described all the same.
   */
  async describeTypes(selection: ServerSelection = {}): Promise<ProviderTypeCatalog> {
    const names = this.select(selection.servers);
    const described = await Promise.all(
      names.map(async (server): Promise<{ types: ProviderTypeInfo[]; diagnostic?: Diagnostic }> => {
        try {
          const driver = await this.driver(server, selection.signal);
          const types = await driver.types({ signal: selection.signal });
          return { types: types.map((type) => ({ ...type, server, source: driver.kind })) };
        } catch (error) {
          return { types: [], diagnostic: serverDiagnostic(error, server) };
        }
      }),
    );
    return new ProviderTypeCatalog(
      described.flatMap((entry) => entry.types),
      described.flatMap((entry) => (entry.diagnostic ? [entry.diagnostic] : [])),
    );
  }

  /** How each (selected) server is doing. With `connect: false`, servers not yet started are not started. */
  async listServers(selection: ServerSelection & { connect?: boolean } = {}): Promise<ServerStatus[]> {
    const names = this.select(selection.servers);
    return await Promise.all(
      names.map(async (name): Promise<ServerStatus> => {
        const connection = this.connections.get(name)!;
        if (selection.connect !== false || connection.state === 'connected') {
          try {
            const driver = await this.driver(name, selection.signal).catch((error: unknown) => {
              // A server with no fitting adapter is still connected: report what it offers.
              if (ProviderError.isInstance(error) && error.code === 'no-adapter') return undefined;
              throw error;
            });
            const tools = await connection.listTools(selection.signal);
            const types = driver
              ? (await driver.types({ signal: selection.signal })).map((type) => type.type)
              : [];
            return { ...this.basicStatus(connection), toolCount: tools.length, types, driver: driver?.kind };
          } catch (error) {
            const diagnostic = serverDiagnostic(error, name);
            return { ...this.basicStatus(connection), reason: diagnostic.summary, diagnostic };
          }
        }
        const status = this.basicStatus(connection);
        if (connection.failure) {
          status.diagnostic = serverDiagnostic(connection.failure, name);
          status.reason = status.diagnostic.summary;
        }
        return status;
      }),
    );
  }

  /** Ends every server process and connection. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close()));
  }

  private basicStatus(connection: McpConnection): ServerStatus {
    const status: ServerStatus = {
      name: connection.name,
      transport: connection.transport,
      state: connection.state,
    };
    if (connection.logFile) status.logFile = connection.logFile;
    return status;
  }

  private select(servers: readonly string[] | undefined): string[] {
    if (servers === undefined) return this.serverNames;
    for (const server of servers) this.connectionOf(server);
    return [...servers];
  }

  private connectionOf(server: string): McpConnection {
    const connection = this.connections.get(server);
    if (!connection) {
      const known = this.serverNames;
      throw new ProviderError({
        code: 'unknown-server',
        server,
        message: `There is no server "${server}". ${known.length > 0 ? `Configured servers: ${known.join(', ')}.` : 'No servers are configured.'} Check the resource's server name, or add the server under mcpServers in the config.`,
      });
    }
    return connection;
  }

  private async driver(server: string, signal: AbortSignal | undefined): Promise<ServerDriver> {
    const connection = this.connectionOf(server);
    let pending = this.drivers.get(server);
    if (!pending) {
      // Shared by concurrent callers, so no single caller's signal may cancel it; each caller waits on its own.
      const choosing = chooseDriver(connection, this.adapters);
      pending = choosing;
      this.drivers.set(server, choosing);
      // A server that could not be reached is asked again next time.
      choosing.catch(() => {
        if (this.drivers.get(server) === choosing) this.drivers.delete(server);
      });
    }
    const driver = await abortable(pending, signal, server);
    if (!driver) throw await this.noAdapter(connection, signal);
    return driver;
  }

  private async noAdapter(
    connection: McpConnection,
    signal: AbortSignal | undefined,
  ): Promise<ProviderError> {
    const tools = (await connection.listTools(signal)).map((tool) => tool.name);
    const shown = tools.length > 12 ? [...tools.slice(0, 12), `... (${tools.length} in all)`] : tools;
    return new ProviderError({
      code: 'no-adapter',
      server: connection.name,
      message: `Server "${connection.name}" speaks neither Conductor's native resource protocol nor the protocol of a server kind Conductor has an adapter for (its tools: ${shown.join(', ') || 'none'}). Set mcpServers.${connection.name}.conductor.adapter to one of: ${adapterNames(this.adapters).join(', ')}, or write an adapter for it (src/providers/adapters).`,
    });
  }
}
