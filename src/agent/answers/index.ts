// Answers for the intents that are not deployments: query (what exists), troubleshoot (read-only checks with the fix
// Conductor would propose) and restore (a deployment as it was at a time, to plan like any other).
export type { KnownResource, KnownWorld } from './known-resources.js';
export type { FactValue, QueryAnswer, QueryContext, QueryFact, QueryForm } from './query.js';
export { answerQuery } from './query.js';
export type { RestoreOptions, RestoreResult } from './restore.js';
export { restoreDeployment } from './restore.js';
export type {
  Finding,
  FindingStatus,
  TroubleshootCheck,
  TroubleshootOptions,
  TroubleshootReport,
} from './troubleshoot.js';
export { renderTroubleshootReport, troubleshoot } from './troubleshoot.js';
