// Conductor's public API: what custom policies, patterns and embedding programs may import from 'conductor'.

// The agent: patterns, intents and the models that produce them.
export type {
  IntentContext,
  IntentModel,
  IntentResult,
  KnownDeployment,
  TokenUsage,
} from './agent/intent-model.js';
export type {
  ParamFormat,
  ParamHint,
  ParamIssue,
  Pattern,
  PatternDefinition,
  PatternDeployment,
  ResolvedParams,
} from './agent/pattern.js';
export { definePattern, generateDeployment, requiredParams, resolveParams } from './agent/pattern.js';
export type { PatternCatalog, PatternToolkit } from './agent/pattern-catalog.js';
export { createPatternCatalog, loadPatternCatalog } from './agent/pattern-catalog.js';
export type { ApplyResult, StepResult, StepStatus } from './execute/apply-result.js';
export type { CompletedOperation, JournalReadOptions } from './execute/completed-operation.js';
export {
  completedOperationsFromJournal,
  unfinishedOperationsFromJournal,
} from './execute/completed-operation.js';
export type { ExecutionEvent, ExecutionEventType } from './execute/events.js';
export type { ExecuteOptions } from './execute/executor.js';
export { executePlan } from './execute/executor.js';
export type { FailureDecision, FailureEvent, FailureMode } from './execute/failure-policy.js';
export { decideOnFailure } from './execute/failure-policy.js';
export type {
  FakeCall,
  FakeCallRecord,
  FakeGatewayOptions,
  FakeOperation,
  FakeOutputsRequest,
} from './execute/fake-gateway.js';
export { FakeGateway } from './execute/fake-gateway.js';
export type { BeginFields, EndFields, JournalWriterOptions } from './execute/journal-writer.js';
export { JournalWriter } from './execute/journal-writer.js';
export type { ProviderErrorOptions } from './execute/provider-error.js';
export { ProviderError } from './execute/provider-error.js';
export type {
  CallOptions,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  ListRequest,
  Properties,
  ProviderGateway,
  ProviderResource,
  ReadRequest,
  ResourceKey,
  UpdateRequest,
  UpdateResult,
} from './execute/provider-gateway.js';
export type { RecoveredApply, RecoverMode, RecoverOptions, RecoverReport } from './execute/recover.js';
export { recover } from './execute/recover.js';
export type { RetryOptions } from './execute/retry.js';
export { DEFAULT_RETRY } from './execute/retry.js';
export type { RollbackContext, RollbackResult } from './execute/rollback.js';
export { rollback, undoOperations } from './execute/rollback.js';
export type {
  ScheduledTask,
  SchedulerOptions,
  SchedulingPriority,
  SchedulingStrategy,
  TaskOutcome,
} from './execute/scheduler.js';
export { Scheduler } from './execute/scheduler.js';
export type { Address } from './model/address.js';
export { formatAddress, parseAddress } from './model/address.js';
export { ConductorError } from './model/conductor-error.js';
export type { Diagnostic, DiagnosticSeverity, SourceLocation } from './model/diagnostic.js';
export { diagnosticSchema, hasErrors } from './model/diagnostic.js';
export type { Intent, IntentKind } from './model/intent.js';
export { INTENT_KINDS, intentSchema } from './model/intent.js';
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
export type { PolicyOverride } from './policy/overrides.js';
export { applyPolicyOverrides } from './policy/overrides.js';
export type { Policy, PolicyContext, PolicyDefinition, PolicyFinding } from './policy/policy.js';
export { definePolicy } from './policy/policy.js';
export { renderGraph } from './review/render-graph.js';
export { renderPlan } from './review/render-plan.js';
export type {
  InventoryStore,
  SandboxErrorCode,
  SandboxProvider,
  SandboxProviderName,
  SandboxRecord,
  SandboxServerCommand,
  ServerFaults,
  TypeSpec,
} from './sandbox/index.js';
export {
  FileInventoryStore,
  MemoryInventoryStore,
  SANDBOX_PROVIDERS,
  SandboxEngine,
  SandboxError,
  sandboxInventoryFile,
  sandboxProvider,
  sandboxServerCommand,
} from './sandbox/index.js';
export { resourcesAt } from './state/history.js';
export { createMemoryStateStore } from './state/memory-backend.js';
export { MemoryState } from './state/memory-state.js';
export { openStateStore } from './state/open-state-store.js';
export type {
  ApplyRecord,
  ApplyStatus,
  DeploymentRecord,
  DeploymentStatus,
  JournalEntry,
  LeftBehind,
  LockOwner,
  RevisionRecord,
} from './state/records.js';
export type { AcquireLockOptions, StateLock, StateStore } from './state/state-store.js';
