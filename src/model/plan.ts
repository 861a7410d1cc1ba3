// The Plan: what apply would do, as data. Review, policies and the executor all read this one object.
import { z } from 'zod';
import { diagnosticSchema } from './diagnostic.js';
import { propertiesSchema } from './resource.js';

export const stepActionSchema = z.enum(['create', 'update', 'replace', 'delete', 'same']);
export type StepAction = z.infer<typeof stepActionSchema>;

export const propertyChangeSchema = z.object({
  /** Dotted path inside properties, e.g. `healthCheck.uri` or `servers[1]`. */
  path: z.string(),
  kind: z.enum(['add', 'remove', 'change']),
  before: z.unknown().optional(),
  /** May be an unknown marker (`{ "$unknown": "..." }`) when the value is only known after apply. */
  after: z.unknown().optional(),
  unknown: z.boolean().optional(),
  forcesReplacement: z.boolean().optional(),
});
export type PropertyChange = z.infer<typeof propertyChangeSchema>;

export const stepReferenceSchema = z.object({
  /** Where the reference sits, e.g. `properties.destination`. */
  path: z.string(),
  expression: z.string(),
  /** The address of the referenced resource. */
  target: z.string(),
  /** Whether the target is managed by this plan or only read from state. */
  external: z.boolean().optional(),
});
export type StepReference = z.infer<typeof stepReferenceSchema>;

export const stepSchema = z.object({
  address: z.string(),
  server: z.string(),
  type: z.string(),
  name: z.string(),
  action: stepActionSchema,
  /** Display level: 0 starts first. Unchanged resources have none. */
  wave: z.number().int().nonnegative().optional(),
  /** Addresses of the steps this one waits for. */
  dependsOn: z.array(z.string()),
  /** Desired properties as written, references unresolved: what the executor resolves just in time. */
  properties: propertiesSchema.optional(),
  /** Recorded properties from state (update, replace, delete, same). */
  before: propertiesSchema.optional(),
  /** Properties as far as they are known at plan time; unknown markers where not. */
  after: propertiesSchema.optional(),
  /** What changes, leaf by leaf, for update and replace. Empty for create (see `after`) and delete (see `before`). */
  changes: z.array(propertyChangeSchema),
  references: z.array(stepReferenceSchema),
  /** The provider id from state, for update, replace and delete. */
  id: z.string().optional(),
  /** Top-level properties whose change forces the replacement. */
  replaceBecause: z.array(z.string()).optional(),
  createBeforeDestroy: z.boolean().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  sensitive: z.array(z.string()).optional(),
});
export type Step = z.infer<typeof stepSchema>;

export const planSummarySchema = z.object({
  create: z.number().int(),
  update: z.number().int(),
  replace: z.number().int(),
  delete: z.number().int(),
  same: z.number().int(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const policySeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type PolicySeverity = z.infer<typeof policySeveritySchema>;

export const policyEnforcementSchema = z.enum(['advisory', 'mandatory', 'disabled']);
export type PolicyEnforcement = z.infer<typeof policyEnforcementSchema>;

export const policyResultSchema = z.object({
  policy: z.string(),
  severity: policySeveritySchema,
  enforcement: policyEnforcementSchema,
  /** `violation`: the plan breaks the policy. `unverifiable`: a value it needs is only known after apply. */
  status: z.enum(['violation', 'unverifiable']),
  code: z.string(),
  summary: z.string(),
  detail: z.string(),
  remediation: z.string(),
  address: z.string().optional(),
  path: z.string().optional(),
  /** A mandatory violation a person chose to accept (`--override-policy ID --reason TEXT`); the audit log records it. */
  overridden: z.object({ reason: z.string() }).optional(),
});
export type PolicyResult = z.infer<typeof policyResultSchema>;

export const policyReportSchema = z.object({
  /** Ids of the policies that ran (disabled ones are not listed). */
  evaluated: z.array(z.string()),
  results: z.array(policyResultSchema),
  /** True when a mandatory policy was violated: apply must refuse. */
  blocked: z.boolean(),
});
export type PolicyReport = z.infer<typeof policyReportSchema>;

export const planSchema = z.object({
  formatVersion: z.literal(1),
  deployment: z.string(),
  /** In execution order: by wave, then address; unchanged resources last. */
  steps: z.array(stepSchema),
  /** Addresses per wave (for display; the executor starts each step as soon as its dependencies are done). */
  waves: z.array(z.array(z.string())),
  /** The longest chain of dependent steps, first to last. */
  criticalPath: z.array(z.string()),
  summary: planSummarySchema,
  diagnostics: z.array(diagnosticSchema),
  policies: policyReportSchema.optional(),
});
export type Plan = z.infer<typeof planSchema>;
