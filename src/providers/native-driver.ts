// The native resource protocol (DESIGN.md, native-protocol.ts), spoken to a server that lists every `resource_*` tool:
// no adapter, the server describes its own types, and its errors carry their own codes and `retryable`.
import type { z } from 'zod';
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
import type { McpConnection } from './mcp-connection.js';
import {
  createResultSchema,
  deleteResultSchema,
  errorResultSchema,
  listResultSchema,
  NATIVE_TOOLS,
  readResultSchema,
  typesResultSchema,
  updateResultSchema,
} from './native-protocol.js';
import {
  ALL_OPERATIONS,
  type DriverCallOptions,
  type DriverType,
  type ServerDriver,
} from './server-driver.js';
import { readToolOutput } from './tool-result.js';

export class NativeDriver implements ServerDriver {
  readonly kind = 'native';

  constructor(private readonly connection: McpConnection) {}

  async types(options: DriverCallOptions): Promise<DriverType[]> {
    const result = await this.call(NATIVE_TOOLS.types, {}, typesResultSchema, options);
    return result.types.map((type) => ({ ...type, operations: { ...ALL_OPERATIONS, missing: {} } }));
  }

  async create(request: CreateRequest, options: DriverCallOptions): Promise<CreateResult> {
    const { type, name, properties } = request;
    return await this.call(NATIVE_TOOLS.create, { type, name, properties }, createResultSchema, options);
  }

  async read(request: ReadRequest, options: DriverCallOptions): Promise<ProviderResource | undefined> {
    return await this.call(
      NATIVE_TOOLS.read,
      { type: request.type, id: request.id },
      readResultSchema,
      options,
    );
  }

  async update(request: UpdateRequest, options: DriverCallOptions): Promise<UpdateResult> {
    const { type, id, properties } = request;
    return await this.call(NATIVE_TOOLS.update, { type, id, properties }, updateResultSchema, options);
  }

  async delete(request: DeleteRequest, options: DriverCallOptions): Promise<void> {
    await this.call(NATIVE_TOOLS.delete, { type: request.type, id: request.id }, deleteResultSchema, options);
  }

  async list(request: ListRequest, options: DriverCallOptions): Promise<ProviderResource[]> {
    const args = request.type === undefined ? {} : { type: request.type };
    return (await this.call(NATIVE_TOOLS.list, args, listResultSchema, options)).resources;
  }

  private async call<Schema extends z.ZodType>(
    tool: string,
    args: Record<string, unknown>,
    schema: Schema,
    options: DriverCallOptions,
  ): Promise<z.infer<Schema>> {
    const output = readToolOutput(await this.connection.callTool(tool, args, { signal: options.signal }));
    const server = this.connection.name;
    if (output.isError) {
      const failure = errorResultSchema.safeParse(output.data);
      if (failure.success) {
        const { code, message, retryable } = failure.data.error;
        throw new ProviderError({ code, message, server, retryable: retryable ?? false });
      }
      throw new ProviderError({
        code: 'tool-error',
        server,
        message: `Tool ${tool} on server "${server}" failed: ${output.text || '(no message)'}`,
      });
    }
    const parsed = schema.safeParse(output.data);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new ProviderError({
        code: 'unexpected-result',
        server,
        message: `Tool ${tool} on server "${server}" answered in a shape the native protocol does not allow (${problem?.path.join('.') || 'result'}: ${problem?.message}). The server does not speak the protocol as Conductor expects; check its version.`,
      });
    }
    return parsed.data;
  }
}
