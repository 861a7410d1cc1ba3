// Baseline only: a faithful re-implementation of `MCPOrchestrator.buildExecutionPlan` from
// /work/shared/origin-docs/04-multi-mcp-integration.md §2: one global graph over all servers, then waves taken off it
// until it is empty. Not used by Conductor.
import { DependencyGraph } from './dependency-graph.js';
import type { MultiMCPDeployment, SeedResource } from './multi-mcp-deployment.js';

export interface ExecutionWave {
  resources: Array<{ server: string; resource: SeedResource }>;
}

export async function buildExecutionPlan(deployment: MultiMCPDeployment): Promise<ExecutionWave[]> {
  const waves: ExecutionWave[] = [];

  // Build dependency graph across all servers
  const globalGraph = new DependencyGraph<{ server: string; resource: SeedResource }>();
  for (const [server, resources] of Object.entries(deployment.serverResources)) {
    for (const resource of resources) {
      const globalId = `${server}:${resource.id}`;
      globalGraph.addNode(globalId, { server, resource });
      // Add dependencies
      for (const dep of resource.dependencies || []) {
        if (dep.includes(':')) {
          // Cross-server dependency
          globalGraph.addEdge(globalId, dep);
        } else {
          // Same-server dependency
          globalGraph.addEdge(globalId, `${server}:${dep}`);
        }
      }
    }
  }

  // Create waves based on dependencies
  while (globalGraph.hasNodes()) {
    const wave = globalGraph.getNodesWithoutDependencies();
    if (wave.length === 0) {
      throw new Error('Circular dependency detected across MCP servers');
    }
    waves.push({
      resources: wave.map((nodeId) => {
        const node = globalGraph.getNode(nodeId);
        return { server: node.data.server, resource: node.data.resource };
      }),
    });
    // Remove processed nodes
    for (const nodeId of wave) globalGraph.removeNode(nodeId);
  }
  return waves;
}
