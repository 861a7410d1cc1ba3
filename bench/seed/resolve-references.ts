// Baseline only: a faithful re-implementation of `MCPOrchestrator.resolveReferences` from
// /work/shared/origin-docs/04-multi-mcp-integration.md §2: collect every server's outputs into one map, then replace
// references in a `JSON.parse(JSON.stringify(deployment), reviver)` round trip. Not used by Conductor.
import { CrossMCPReference } from './cross-mcp-reference.js';
import type { MultiMCPDeployment, SeedResource } from './multi-mcp-deployment.js';

/** The part of the doc's `MCPServerClient` that resolution uses: outputs keyed by `type:name.output`. */
export interface OutputSource {
  getResourceOutputs(resources: SeedResource[]): Promise<Map<string, unknown>>;
}

export async function resolveReferences(
  deployment: MultiMCPDeployment,
  mcpServers: Map<string, OutputSource>,
): Promise<MultiMCPDeployment> {
  // First pass: collect all outputs
  const outputs = new Map<string, unknown>();
  for (const [server, resources] of Object.entries(deployment.serverResources)) {
    const serverOutputs = await mcpServers.get(server)?.getResourceOutputs(resources);
    serverOutputs?.forEach((value, key) => {
      outputs.set(`${server}:${key}`, value);
    });
  }

  // Second pass: resolve references
  const resolved = JSON.parse(JSON.stringify(deployment), (_key, value) => {
    if (typeof value === 'string') {
      const ref = CrossMCPReference.parse(value);
      if (ref) {
        const outputKey = `${ref.server}:${ref.resourceType}:${ref.resourceId}.${ref.outputProperty}`;
        return outputs.get(outputKey) || value;
      }
    }
    return value;
  });
  return resolved as MultiMCPDeployment;
}
