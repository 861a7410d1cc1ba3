// Baseline only: the origin document's planning path end to end (/work/shared/origin-docs/04-multi-mcp-integration.md
// §1, §2 and §4): parse, resolve references, build the execution waves, evaluate the policies. It exists so the
// planner benchmark can say how much faster Conductor's planner is; nothing in Conductor uses it.
import { buildExecutionPlan, type ExecutionWave } from './build-execution-plan.js';
import { toMultiMCPDeployment } from './multi-mcp-deployment.js';
import { PolicyEngine, type PolicyEvaluationResult } from './policy-engine.js';
import { type OutputSource, resolveReferences } from './resolve-references.js';
import { ResourceTaggingPolicy } from './resource-tagging-policy.js';
import { SecurityGroupPolicy } from './security-group-policy.js';

export interface SeedPlan {
  waves: ExecutionWave[];
  policies: PolicyEvaluationResult;
}

/** `lap(stage)` is called as each stage ends, for the benchmark's per-stage timings. */
export async function planSeed(
  text: string,
  mcpServers: Map<string, OutputSource>,
  lap: (stage: string) => void = () => {},
): Promise<SeedPlan> {
  const deployment = toMultiMCPDeployment(JSON.parse(text));
  lap('parse');
  const resolved = await resolveReferences(deployment, mcpServers);
  lap('references');
  const waves = await buildExecutionPlan(resolved);
  lap('waves');
  const engine = new PolicyEngine();
  engine.addPolicy(new SecurityGroupPolicy());
  engine.addPolicy(new ResourceTaggingPolicy());
  const policies = await engine.evaluate(resolved);
  lap('policies');
  return { waves, policies };
}
