// Tags say who owns a resource and what it costs. The list is the user's: empty by default, so nothing is required
// until config names the tags (the origin documents use Environment, Owner and CostCenter).
import { containsUnknown } from '../../model/unknown.js';
import { changingSteps } from '../inspect.js';
import { definePolicy, type PolicyFinding } from '../policy.js';

export const requiredTags = definePolicy({
  id: 'required-tags',
  description: 'Resources must carry the tags named in config (policies.required-tags.tags).',
  severity: 'medium',
  enforcement: 'advisory',
  options: { tags: [] as string[] },
  evaluate(plan, { options }) {
    const required = (options.tags as unknown[]).map(String);
    if (required.length === 0) return [];
    const findings: PolicyFinding[] = [];
    for (const step of changingSteps(plan, [])) {
      const propertyTags = step.after?.tags;
      if (containsUnknown(propertyTags)) {
        findings.push({
          address: step.address,
          path: 'properties.tags',
          code: 'missing-tags',
          unverifiable: true,
          summary: 'Tags are only known after apply, so required tags cannot be checked yet.',
          remediation: 'Give tags as literal values to have them checked at plan time.',
        });
        continue;
      }
      const fromProperties =
        typeof propertyTags === 'object' && propertyTags !== null
          ? (propertyTags as Record<string, unknown>)
          : {};
      const fromResource: Record<string, unknown> = step.tags ?? {};
      let complete = true;
      for (const tag of required) if (!hasTag(tag, fromResource, fromProperties)) complete = false;
      if (complete) continue;
      const missing = required.filter((tag) => !hasTag(tag, fromResource, fromProperties));
      const tags = { ...fromProperties, ...fromResource };
      if (missing.length === 0) continue;
      findings.push({
        address: step.address,
        code: 'missing-tags',
        summary: `Missing required tag${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
        detail: `${step.address} has ${Object.keys(tags).length > 0 ? `tags ${Object.keys(tags).sort().join(', ')}` : 'no tags'}; config requires ${required.join(', ')}.`,
        remediation: `Add "tags": { ${missing.map((tag) => `"${tag}": "..."`).join(', ')} } to the resource.`,
      });
    }
    return findings;
  },
});

function hasTag(tag: string, ...sources: Array<Record<string, unknown>>): boolean {
  for (const source of sources) {
    const value = source[tag];
    if (value !== undefined && value !== '') return true;
  }
  return false;
}
