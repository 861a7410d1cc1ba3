// Runs a declarative adapter (adapter.ts) against one server: picks the tools the server really offers, builds each
// call's arguments, reads the answer, maps failures to codes, and refuses honestly what the adapter cannot do.
import { ProviderError } from '../execute/provider-error.js';
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
import {
  type Adapter,
  type AdapterType,
  OPERATIONS,
  type Operation,
  type OperationSpec,
  type StepScope,
  type ToolChoice,
  type ToolStep,
} from './adapter.js';
import { AdapterError } from './adapter-error.js';
import type { McpConnection } from './mcp-connection.js';
import type { DriverCallOptions, DriverType, OperationSupport, ServerDriver } from './server-driver.js';
import { readToolOutput, type ToolOutput } from './tool-result.js';

export class AdaptedDriver implements ServerDriver {
  readonly kind: string;
  private session: Promise<unknown> | undefined;

  constructor(
    private readonly connection: McpConnection,
    private readonly adapter: Adapter,
  ) {
    this.kind = adapter.name;
  }

  private get server(): string {
    return this.connection.name;
  }

  async types(options: DriverCallOptions): Promise<DriverType[]> {
    const tools = await this.toolNames(options);
    return Object.entries(this.adapter.types).map(([type, spec]) => {
      const described: DriverType = {
        type,
        description: spec.description,
        schema: spec.schema,
        operations: this.support(type, spec, tools),
      };
      if (spec.outputs) described.outputs = spec.outputs;
      if (spec.replaceOn) described.replaceOn = spec.replaceOn;
      if (spec.sensitive) described.sensitive = spec.sensitive;
      if (spec.createBeforeDestroy !== undefined) described.createBeforeDestroy = spec.createBeforeDestroy;
      if (spec.references) described.references = spec.references;
      return described;
    });
  }

  async create(request: CreateRequest, options: DriverCallOptions): Promise<CreateResult> {
    const spec = this.typeSpec(request.type);
    if (!spec.create)
      throw this.unsupported(request.type, 'create', spec, `${request.name} was not created.`);
    return await this.run(spec.create, request, options);
  }

  async read(request: ReadRequest, options: DriverCallOptions): Promise<ProviderResource | undefined> {
    const spec = this.typeSpec(request.type);
    if (spec.read) return await this.run(spec.read, request, options);
    // No read tool: a listing holds the same facts.
    if (spec.list) {
      const all = await this.run(spec.list, { server: request.server, type: request.type }, options);
      return all.find((resource) => resource.id === request.id);
    }
    throw this.unsupported(request.type, 'read', spec, `${request.id} could not be read back.`);
  }

  async update(request: UpdateRequest, options: DriverCallOptions): Promise<UpdateResult> {
    const spec = this.typeSpec(request.type);
    if (!spec.update) {
      throw this.unsupported(request.type, 'update', spec, `${request.id} keeps its current properties.`);
    }
    return await this.run(spec.update, request, options);
  }

  async delete(request: DeleteRequest, options: DriverCallOptions): Promise<void> {
    const spec = this.typeSpec(request.type);
    if (!spec.delete) {
      // Gone already (removed by hand): the goal is reached, and saying it "remains" would be untrue. Only what is
      // really there is reported as remaining. Without a way to look, the honest answer is still "cannot delete".
      if (spec.read || spec.list) {
        const current = await this.read(
          { server: request.server, type: request.type, id: request.id },
          options,
        ).catch((error: unknown) =>
          ProviderError.isInstance(error) && error.code === 'not-found' ? undefined : null,
        );
        if (current === undefined) return;
      }
      throw this.unsupported(
        request.type,
        'delete',
        spec,
        `${request.id} remains; remove it by hand if it should go.`,
      );
    }
    await this.run(spec.delete, request, options);
  }

  async list(request: ListRequest, options: DriverCallOptions): Promise<ProviderResource[]> {
    const types = request.type === undefined ? Object.keys(this.adapter.types) : [request.type];
    const listed: ProviderResource[] = [];
    for (const type of types) {
      const spec = this.typeSpec(type);
      if (!spec.list) {
        if (request.type === undefined) continue;
        throw this.unsupported(type, 'list', spec, 'Its resources cannot be listed.');
      }
      listed.push(...(await this.run(spec.list, { server: request.server, type }, options)));
    }
    return listed;
  }

  private typeSpec(type: string): AdapterType<unknown> {
    const spec = Object.hasOwn(this.adapter.types, type) ? this.adapter.types[type] : undefined;
    if (!spec) {
      throw new ProviderError({
        code: 'unknown-type',
        server: this.server,
        message: `Server "${this.server}" (adapter ${this.adapter.name}) has no type "${type}"; it has: ${Object.keys(this.adapter.types).join(', ')}.`,
      });
    }
    return spec;
  }

  private support(type: string, spec: AdapterType<unknown>, tools: ReadonlySet<string>): OperationSupport {
    const support: OperationSupport = {
      create: false,
      read: false,
      update: false,
      delete: false,
      list: false,
      missing: {},
    };
    for (const operation of OPERATIONS) {
      const operationSpec = spec[operation] as OperationSpec<unknown, unknown, unknown> | undefined;
      if (!operationSpec) {
        support.missing[operation] =
          spec.unsupported?.[operation] ??
          `Adapter ${this.adapter.name} cannot ${operation} ${type} resources.`;
        continue;
      }
      const absent = requiredTools(operationSpec).filter((choice) => pickTool(choice, tools) === undefined);
      if (absent.length > 0) {
        support.missing[operation] =
          `Server "${this.server}" does not offer ${absent.map(describeChoice).join(', ')}.`;
        continue;
      }
      support[operation] = true;
    }
    // Read falls back to a listing.
    if (!support.read && support.list && !spec.read) {
      support.read = true;
      delete support.missing.read;
    }
    return support;
  }

  private unsupported(
    type: string,
    operation: Operation,
    spec: AdapterType<unknown>,
    remains: string,
  ): ProviderError {
    const reason =
      spec.unsupported?.[operation] ??
      `Adapter ${this.adapter.name} has no way to ${operation} ${type} resources.`;
    return new ProviderError({
      code: 'operation-unsupported',
      server: this.server,
      message: `Server "${this.server}" cannot ${operation} ${type} resources: ${reason} ${remains}`,
    });
  }

  private async run<Request, Result>(
    spec: OperationSpec<Request, Result, unknown>,
    request: Request,
    options: DriverCallOptions,
  ): Promise<Result> {
    const [session, tools] = await Promise.all([this.sessionFacts(options), this.toolNames(options)]);
    const base = { request, session, server: this.server };
    const steps = this.guard(() => (typeof spec.steps === 'function' ? spec.steps(base) : spec.steps));
    const results: (ToolOutput | undefined)[] = [];
    for (const step of steps) {
      const scope: StepScope<Request, unknown> = { ...base, results };
      if (step.when && !this.guard(() => step.when!(scope))) {
        results.push(undefined);
        continue;
      }
      const args = this.guard(() => step.arguments(scope));
      results.push(await this.call(this.chooseTool(step, tools), args, options));
    }
    const output = [...results].reverse().find((result) => result !== undefined) ?? {
      data: undefined,
      text: '',
      isError: false,
    };
    return this.guard(() => spec.result({ ...base, results, output }));
  }

  private chooseTool(step: ToolStep<unknown, unknown>, tools: ReadonlySet<string>): string {
    const tool = pickTool(step.tool, tools);
    if (tool === undefined) {
      throw new ProviderError({
        code: 'operation-unsupported',
        server: this.server,
        message: `Server "${this.server}" does not offer ${describeChoice(step.tool)}, which adapter ${this.adapter.name} needs here.`,
      });
    }
    return tool;
  }

  private async call(
    tool: string,
    args: Record<string, unknown>,
    options: DriverCallOptions,
  ): Promise<ToolOutput> {
    const output = readToolOutput(await this.connection.callTool(tool, args, { signal: options.signal }));
    if (!output.isError) return output;
    const text = output.text || '(no message)';
    const rule = this.adapter.errors?.find((candidate) => candidate.pattern.test(text));
    throw new ProviderError({
      code: rule?.code ?? 'tool-error',
      server: this.server,
      retryable: rule?.retryable ?? false,
      message: `Tool ${tool} on server "${this.server}" failed: ${text}`,
    });
  }

  /** Adapter code runs here: its refusals become ProviderErrors about this server. */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (ProviderError.isInstance(error)) throw error;
      if (AdapterError.isInstance(error)) {
        throw new ProviderError({
          code: error.code,
          server: this.server,
          retryable: error.retryable,
          message: `Server "${this.server}" (adapter ${this.adapter.name}): ${error.message}`,
        });
      }
      throw new ProviderError({
        code: 'adapter-failed',
        server: this.server,
        message: `Adapter ${this.adapter.name} failed on server "${this.server}": ${(error as Error).message ?? String(error)}. This is a bug in the adapter; report it with this message.`,
        cause: error,
      });
    }
  }

  private async toolNames(options: DriverCallOptions): Promise<Set<string>> {
    return new Set((await this.connection.listTools(options.signal)).map((tool) => tool.name));
  }

  private async sessionFacts(options: DriverCallOptions): Promise<unknown> {
    const lookup = this.adapter.session;
    if (!lookup) return undefined;
    if (!this.session) {
      const pending = (async () => {
        const tool = this.chooseTool(
          { tool: lookup.tool, arguments: () => ({}) },
          await this.toolNames(options),
        );
        const output = await this.call(tool, lookup.arguments ?? {}, options);
        return this.guard(() => lookup.result(output));
      })();
      this.session = pending;
      // A failed lookup is asked again next time rather than remembered.
      pending.catch(() => {
        if (this.session === pending) this.session = undefined;
      });
    }
    return await this.session;
  }
}

function requiredTools(spec: OperationSpec<unknown, unknown, unknown>): readonly ToolChoice[] {
  if (spec.tools) return spec.tools;
  return typeof spec.steps === 'function' ? [] : spec.steps.map((step) => step.tool);
}

function pickTool(choice: ToolChoice, tools: ReadonlySet<string>): string | undefined {
  return (typeof choice === 'string' ? [choice] : choice).find((name) => tools.has(name));
}

function describeChoice(choice: ToolChoice): string {
  return typeof choice === 'string' ? `tool ${choice}` : `any of the tools ${choice.join(', ')}`;
}
