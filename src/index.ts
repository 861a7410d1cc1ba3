// Conductor's public API: what custom policies, patterns and embedding programs may import from 'conductor'.

export type { Address } from './model/address.js';
export { formatAddress, parseAddress } from './model/address.js';
export { ConductorError } from './model/conductor-error.js';
export type { Diagnostic, DiagnosticSeverity, SourceLocation } from './model/diagnostic.js';
export { diagnosticSchema, hasErrors } from './model/diagnostic.js';
export type { LoadDeploymentResult } from './model/load-deployment.js';
export { normalizeDeployment, parseDeploymentText } from './model/load-deployment.js';
export type {
  Plan,
  PlanSummary,
  PolicyEnforcement,
  PolicyReport,
  PolicyResult,
  PolicySeverity,
  PropertyChange,
  Step,
  StepAction,
} from './model/plan.js';
export { planSchema, stepSchema } from './model/plan.js';
export type { Reference } from './model/reference.js';
export { referenceSchema } from './model/reference.js';
export type { Deployment, Resource } from './model/resource.js';
export { deploymentSchema, resourceSchema } from './model/resource.js';
export type { ResourceRecord, StateReader } from './model/resource-record.js';
export type { TypeCatalog, TypeInfo } from './model/type-catalog.js';
export { isUnknown, UNKNOWN_KEY } from './model/unknown.js';
export type { PlanInput } from './plan/planner.js';
export { planDeployment } from './plan/planner.js';
export { builtinPolicies } from './policy/builtin/index.js';
export type { PolicySettings } from './policy/engine.js';
export { checkPlan, PolicyEngine } from './policy/engine.js';
export type { Policy, PolicyContext, PolicyDefinition, PolicyFinding } from './policy/policy.js';
export { definePolicy } from './policy/policy.js';
export { renderGraph } from './review/render-graph.js';
export { renderPlan } from './review/render-plan.js';
export { MemoryState } from './state/memory-state.js';
