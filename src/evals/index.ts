// The eval suite as a library: load cases, run them through an intent model, score, and report. `conductor eval` is
// built from these; a program can run its own model or patterns through them the same way.
export {
  defaultCasesDir,
  type EvalCase,
  type EvalContext,
  type EvalExpectation,
  evalCaseSchema,
  type LoadCasesOptions,
  type LoadedCase,
  type LoadedCases,
  loadCases,
  packageRoot,
} from './cases.js';
export {
  type AnthropicEvalOptions,
  anthropicEvalModel,
  type CaseFinish,
  type CasePreparation,
  type CaseProblem,
  type EvalModel,
  offlineEvalModel,
  plainEvalModel,
  type ReplayEvalOptions,
  replayEvalModel,
} from './eval-model.js';
export { createGuardGateway, type GuardGateway, type MutationAttempt } from './guard-gateway.js';
export {
  defaultRecordingsDir,
  type RecordedResponse,
  type Recording,
  type RecordingFetch,
  readRecording,
  recordingFetch,
  writeRecording,
} from './recordings.js';
export { type ReplayServer, startReplayServer } from './replay-server.js';
export {
  type EvalSummary,
  type Failure,
  formatPercent,
  HOLDOUT_TAG,
  renderMarkdown,
  renderTable,
  type SafetySummary,
  summarize,
  type Tally,
} from './report.js';
export { type CaseResult, DEFAULT_EVAL_NOW, type EvalRun, type RunEvalsOptions, runEvals } from './run.js';
export {
  checkSafety,
  isSafetyCase,
  type OpenSafetyInfrastructure,
  SAFETY_TAG,
  type SafetyCheck,
  type SafetyInfrastructure,
  type SafetyResult,
} from './safety.js';
export { type CaseScore, type Check, sameValue, scoreIntent } from './score.js';
