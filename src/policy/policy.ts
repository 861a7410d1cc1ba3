// What a policy is: an id, a severity, an enforcement level and a function from a Plan to findings.

import { ConductorError } from '../model/conductor-error.js';
import type { Plan, PolicyEnforcement, PolicySeverity } from '../model/plan.js';
import { policyEnforcementSchema, policySeveritySchema } from '../model/plan.js';

/** One problem a policy found. `unverifiable` means a value it needs is only known after apply. */
export interface PolicyFinding {
  address?: string;
  /** Where in the resource, e.g. `properties.source`. */
  path?: string;
  /** Defaults to the policy id. */
  code?: string;
  summary: string;
  detail?: string;
  /** What to change so the plan passes. */
  remediation: string;
  unverifiable?: boolean;
}

export interface PolicyContext {
  /** The policy's options: its defaults merged with the user's config. */
  options: Readonly<Record<string, unknown>>;
}

export interface Policy {
  id: string;
  description: string;
  severity: PolicySeverity;
  enforcement: PolicyEnforcement;
  /** Default options; users override them in config under `policies.<id>`. */
  options: Readonly<Record<string, unknown>>;
  evaluate(plan: Plan, context: PolicyContext): PolicyFinding[] | Promise<PolicyFinding[]>;
}

export interface PolicyDefinition {
  id: string;
  description: string;
  severity: PolicySeverity;
  /** Defaults to advisory: a new policy warns until someone decides it should block. */
  enforcement?: PolicyEnforcement;
  options?: Record<string, unknown>;
  evaluate(plan: Plan, context: PolicyContext): PolicyFinding[] | Promise<PolicyFinding[]>;
}

const POLICY_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Checks a definition and fills defaults. Throws a ConductorError naming what is wrong. */
export function definePolicy(definition: PolicyDefinition): Policy {
  const problems: string[] = [];
  if (typeof definition !== 'object' || definition === null) problems.push('the definition is not an object');
  else {
    if (typeof definition.id !== 'string' || !POLICY_ID.test(definition.id))
      problems.push('"id" must be kebab-case text, e.g. "no-public-databases"');
    if (typeof definition.description !== 'string' || definition.description.trim() === '')
      problems.push('"description" must say what the policy checks');
    if (!policySeveritySchema.safeParse(definition.severity).success)
      problems.push('"severity" must be one of low, medium, high, critical');
    if (
      definition.enforcement !== undefined &&
      !policyEnforcementSchema.safeParse(definition.enforcement).success
    )
      problems.push('"enforcement" must be one of advisory, mandatory, disabled');
    if (typeof definition.evaluate !== 'function')
      problems.push('"evaluate" must be a function (plan) => findings');
  }
  if (problems.length > 0) {
    const id = typeof definition?.id === 'string' ? ` "${definition.id}"` : '';
    throw new ConductorError({
      code: 'invalid-policy',
      summary: `Policy${id} is not valid: ${problems.join('; ')}.`,
      detail:
        'A policy is definePolicy({ id, description, severity: "low"|"medium"|"high"|"critical", enforcement?, evaluate(plan) { return [] } }).',
      exitCode: 2,
    });
  }
  return {
    id: definition.id,
    description: definition.description,
    severity: definition.severity,
    enforcement: definition.enforcement ?? 'advisory',
    options: definition.options ?? {},
    evaluate: definition.evaluate,
  };
}
