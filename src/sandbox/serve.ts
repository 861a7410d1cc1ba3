// The MCP face of a sandbox provider: the native resource protocol's six tools over an engine, with fault injection
// in front. This is the sandbox's only module that imports the MCP server SDK (src/serve/ is Conductor's own server).
// Results carry structuredContent and the same JSON as text; refusals are `isError` results whose structuredContent
// is `{ error: { code, message, retryable? } }`.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import {
  createInputSchema,
  createResultSchema,
  deleteInputSchema,
  deleteResultSchema,
  listInputSchema,
  listResultSchema,
  NATIVE_TOOLS,
  nativeErrorSchema,
  readInputSchema,
  readResultSchema,
  typesInputSchema,
  typesResultSchema,
  updateInputSchema,
  updateResultSchema,
} from '../providers/native-protocol.js';
import type { SandboxEngine } from './engine.js';
import { type FaultCall, FaultInjector } from './faults.js';
import { SandboxError } from './sandbox-error.js';

export interface SandboxServerOptions {
  engine: SandboxEngine;
  /** Default: no faults. */
  faults?: FaultInjector;
  /** What a crash fault does (default: exit with status 1, as a crashed server would). */
  crash?: () => void;
  /** Where diagnostics go (default: stderr; stdout carries only MCP). */
  log?: (line: string) => void;
}

/**
 * The SDK client validates structuredContent against a tool's output schema even on `isError` results, so each output
 * schema admits both outcomes: the result's fields, or `error`.
 */
function resultOrError<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return schema.partial().extend({ error: nativeErrorSchema.optional() });
}

export function createSandboxServer(options: SandboxServerOptions): McpServer {
  const { engine } = options;
  const provider = engine.provider.name;
  const faults = options.faults ?? new FaultInjector(provider);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const crash =
    options.crash ??
    (() => {
      log(`conductor-sandbox-${provider}: exiting as CONDUCTOR_SANDBOX_FAULTS.crashAfterCalls asks`);
      process.exit(1);
    });

  const server = new McpServer(
    { name: `conductor-sandbox-${provider}`, version: packageVersion() },
    { instructions: `${engine.provider.description} Speaks Conductor's native resource protocol.` },
  );

  /** Applies the fault decision, then runs the operation; every outcome becomes a tool result. */
  async function answer(call: FaultCall, operation: () => unknown): Promise<CallToolResult> {
    const decision = faults.decide(call);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    switch (decision.kind) {
      case 'crash':
        crash();
        return never();
      case 'hang':
        if (decision.afterEffect)
          await Promise.resolve()
            .then(operation)
            .catch(() => undefined);
        return never();
      case 'fail':
        return errorResult(decision.error);
      case 'proceed':
        break;
    }
    try {
      return successResult((await operation()) as Record<string, unknown>);
    } catch (error) {
      if (SandboxError.isInstance(error)) return errorResult(error);
      log(`conductor-sandbox-${provider}: ${(error as Error).stack ?? String(error)}`);
      return errorResult(
        new SandboxError('internal-error', `The ${provider} sandbox failed: ${(error as Error).message}`),
      );
    }
  }

  server.registerTool(
    NATIVE_TOOLS.types,
    {
      description: `The resource types this ${provider} server manages, with JSON Schemas of their properties.`,
      inputSchema: typesInputSchema,
      outputSchema: resultOrError(typesResultSchema),
      annotations: { readOnlyHint: true },
    },
    () => answer({ operation: 'types' }, () => ({ types: engine.types() })),
  );

  server.registerTool(
    NATIVE_TOOLS.create,
    {
      description:
        'Create a resource: { type, name, properties } → { id, outputs }. Names are unique per type.',
      inputSchema: createInputSchema,
      outputSchema: resultOrError(createResultSchema),
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    (input) =>
      answer({ operation: 'create', type: input.type, name: input.name }, () => engine.create(input)),
  );

  server.registerTool(
    NATIVE_TOOLS.read,
    {
      description:
        'Read a resource by type and id: its properties and outputs. Unknown ids are not-found errors.',
      inputSchema: readInputSchema,
      outputSchema: resultOrError(readResultSchema),
      annotations: { readOnlyHint: true },
    },
    (input) => answer(identify('read', input), () => engine.read(input)),
  );

  server.registerTool(
    NATIVE_TOOLS.update,
    {
      description:
        "Replace a resource's properties in place: { type, id, properties } → { outputs }. A change to a replaceOn property is refused (requires-replacement).",
      inputSchema: updateInputSchema,
      outputSchema: resultOrError(updateResultSchema),
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (input) => answer(identify('update', input), () => engine.update(input)),
  );

  server.registerTool(
    NATIVE_TOOLS.delete,
    {
      description: 'Delete a resource by type and id. Refused (conflict) while another resource uses it.',
      inputSchema: deleteInputSchema,
      outputSchema: resultOrError(deleteResultSchema),
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (input) => answer(identify('delete', input), () => engine.delete(input)),
  );

  server.registerTool(
    NATIVE_TOOLS.list,
    {
      description: 'Every resource the server holds, or those of one type.',
      inputSchema: listInputSchema,
      outputSchema: resultOrError(listResultSchema),
      annotations: { readOnlyHint: true },
    },
    (input) =>
      answer({ operation: 'list', ...(input.type !== undefined ? { type: input.type } : {}) }, () =>
        engine.list(input),
      ),
  );

  function identify(operation: 'read' | 'update' | 'delete', input: { type: string; id: string }): FaultCall {
    const name = engine.nameOf(input.type, input.id);
    return { operation, type: input.type, ...(name !== undefined ? { name } : {}) };
  }

  return server;
}

/** Serves the engine over stdin/stdout until the client goes away. */
export async function serveOverStdio(options: SandboxServerOptions): Promise<McpServer> {
  const server = createSandboxServer(options);
  await server.connect(new StdioServerTransport());
  return server;
}

function successResult(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

function errorResult(error: SandboxError): CallToolResult {
  const structured = { error: error.toNative() };
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

/** A call that never answers: it outlasts any client timeout. Nothing holds the process open for it. */
function never(): Promise<never> {
  return new Promise<never>(() => {});
}

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
