// Stand-ins for the origin document's MCP server clients in the seed's reference resolution: each server reports one
// placeholder output per resource (the output the generator's references read), so every lookup finds a value.
import { OUTPUT_BY_TYPE } from './generate.js';
import type { OutputSource } from './seed/resolve-references.js';

export function placeholderServers(servers: readonly string[]): Map<string, OutputSource> {
  const source: OutputSource = {
    async getResourceOutputs(resources) {
      const outputs = new Map<string, unknown>();
      for (const resource of resources) {
        const output = OUTPUT_BY_TYPE[resource.type] ?? 'id';
        outputs.set(`${resource.type}:${resource.name}.${output}`, `placeholder-${resource.name}`);
      }
      return outputs;
    },
  };
  return new Map(servers.map((server) => [server, source]));
}
