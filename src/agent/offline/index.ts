// The offline intent model (no network): `createOfflineModel()` for Conductor, and the extractors it is built from,
// each a pure function over request text.

export { type BooleanPhrases, extractBoolean } from './booleans.js';
export { type ChoiceFinding, chooseMany, chooseOne, extractChoices } from './choices.js';
export { MIN_PATTERN_SCORE, type PatternChoice, type PatternScore, scorePatterns } from './choose-pattern.js';
export { type KindSignals, kindSignals } from './classify.js';
export {
  type CountFinding,
  extractCounts,
  extractListedCount,
  extractRanges,
  type RangeFinding,
} from './counts.js';
export { type CronOptions, extractCron } from './cron.js';
export { type ExtractParamsOptions, extractParams, type ParamExtraction } from './extract-params.js';
export { extractImages } from './images.js';
export { asksForEverything, type InjectionResult, stripInjections } from './injection.js';
export { extractCalledNames, extractNamesBefore, extractQuoted } from './names.js';
export { extractCidrs, extractHostnames, extractHostPorts, extractIPv4s } from './network.js';
export { extractNumbers, normalizeNumberWords, parseNumberWords } from './numbers.js';
export { createOfflineModel, parseIntent } from './offline-model.js';
export { describeParams, type ParamSpec } from './param-spec.js';
export { extractPorts, type PortFinding, WELL_KNOWN_PORTS } from './ports.js';
export { extractSizes, type SizeFinding } from './sizes.js';
export { findTarget, type TargetMatch, targetFromText } from './targets.js';
export type { Finding, Span } from './text.js';
export { parseTimeReference } from './times.js';
export { extractVersions } from './versions.js';
export { extractVlanTags } from './vlans.js';
