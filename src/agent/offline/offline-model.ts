// The offline intent model: no network, no model weights, only the patterns' own schemas, hints and descriptions.
// It decides the kind of request from its verbs, the pattern from the vocabulary each pattern brings, and the
// parameters with the extractors; it fills `missing` honestly and never guesses a required value.
import { type Intent, intentSchema } from '../../model/intent.js';
import type { IntentContext, IntentModel, IntentResult, KnownDeployment } from '../intent-model.js';
import { type Pattern, resolveParams } from '../pattern.js';
import { type PatternChoice, scorePatterns } from './choose-pattern.js';
import { isAboutTraffic, type KindSignals, kindSignals } from './classify.js';
import { extractParams, type ParamExtraction, REMOVING_WORDS } from './extract-params.js';
import { extractImages } from './images.js';
import { asksForEverything, stripInjections } from './injection.js';
import { normalizeNumberWords } from './numbers.js';
import { describeParams } from './param-spec.js';
import { isErrand, isShellCommand, massRemovals, outOfScopeThing } from './scope.js';
import { findTarget, refersBack, type TargetMatch, targetFromText } from './targets.js';
import { blank, nameWords } from './text.js';
import { parseTimeReference } from './times.js';

export function createOfflineModel(): IntentModel {
  return {
    kind: 'offline',
    label: 'offline parser',
    async parse(text: string, context: IntentContext): Promise<IntentResult> {
      context.signal?.throwIfAborted();
      return { intent: parseIntent(text, context), model: 'offline' };
    },
  };
}

/** Everything the decision needs, computed once per request. */
interface Reading {
  /** The request with steering text removed and number words as digits. */
  text: string;
  signals: KindSignals;
  choice: PatternChoice;
  /** A deployment the text itself names (by name, parameter or pattern), not the focus. */
  named?: TargetMatch;
  context: IntentContext;
  notes: string[];
}

export function parseIntent(request: string, context: IntentContext): Intent {
  const notes: string[] = [];
  const stripped = stripInjections(request.trim());
  if (stripped.removed.length > 0) {
    notes.push(
      `Ignored text that tries to change how requests are handled (${stripped.removed.map((piece) => `"${piece}"`).join(', ')}); review, approval and policies still apply.`,
    );
  }
  if (isShellCommand(stripped.text)) {
    return finish({
      kind: 'unsupported',
      confidence: 0.9,
      notes: [...notes, 'Conductor does not run commands; it plans deployments from its patterns.'],
    });
  }
  // Removing everything at once is no one deployment's teardown; the rest of a compound request still counts.
  const removals = massRemovals(stripped.text);
  let remaining = stripped.text;
  if (removals.length > 0) {
    notes.push(
      `Not done: ${removals.map((span) => `"${stripped.text.slice(span.start, span.end).trim()}"`).join(', ')}. Conductor removes one deployment at a time; name it.`,
    );
    remaining = blank(stripped.text, removals)
      .replace(/[\s,;:.!-]*\b(?:and|also|then|plus)\s*$/i, '')
      .replace(/\s+/g, ' ')
      .trim();
  }
  const text = normalizeNumberWords(remaining);
  if (!/[a-z0-9]/i.test(text)) {
    return finish({ kind: 'unsupported', confidence: 0.9, notes: [...notes, 'Nothing to do was asked.'] });
  }
  if (isErrand(text)) {
    return finish({
      kind: 'unsupported',
      confidence: 0.9,
      notes: [
        ...notes,
        'This is an errand, not infrastructure; Conductor only deploys and manages its patterns.',
      ],
    });
  }
  const patterns = context.patterns;
  const deployments = context.deployments ?? [];
  const found = findTarget(text, deployments, patterns, undefined);
  const reading: Reading = {
    text,
    signals: kindSignals(text),
    choice: scorePatterns(text, patterns),
    ...(found ? { named: found } : {}),
    context,
    notes,
  };
  if (asksForEverything(text)) {
    notes.push(
      'The request asks for every port or all traffic; a rule open to any source and port is blocked by policy unless narrowed.',
    );
  }
  const outside = outOfScopeThing(text, patterns);
  const explicitTarget = found !== undefined && found.how !== 'pattern';
  if (outside && !explicitTarget && extractImages(text).length === 0) {
    notes.push(`No pattern deploys ${outside}.`);
    const intent = unsupported(reading);
    return finish(intent);
  }
  const intent = decide(reading);
  if (stripped.removed.length > 0 && intent.confidence !== undefined) {
    intent.confidence = Math.round(intent.confidence * 80) / 100;
  }
  return finish(intent);
}

function finish(intent: Intent): Intent {
  if (intent.notes && intent.notes.length === 0) delete intent.notes;
  return intentSchema.parse(intent);
}

function decide(reading: Reading): Intent {
  const { signals, choice, text } = reading;
  const why = /\bwhy\b/i.test(text);
  const deployFirst =
    signals.deploy !== undefined &&
    choice.best !== undefined &&
    signals.troubleshoot !== undefined &&
    signals.deploy.index < signals.troubleshoot.index;
  if (signals.restore) return restore(reading);
  if (signals.troubleshoot && (why || !deployFirst)) return troubleshoot(reading);
  if (
    signals.destroy &&
    !(isAboutTraffic(text) && /^(?:drop|kill|remove|delete)/i.test(signals.destroy[0]))
  ) {
    const removal = featureRemoval(reading);
    return removal ?? destroy(reading);
  }
  if (signals.question && !isPoliteRequest(reading)) {
    if (signals.infrastructure || reading.named || (choice.best && choice.best.score >= 8))
      return query(reading);
    return unsupported(reading);
  }
  const explicit = reading.named && reading.named.how !== 'pattern';
  const pointsBack = refersBack(text) && reading.context.focus !== undefined;
  if (explicit && REMOVING.test(text) && !opensWithDeploy(reading)) {
    // "drop redis from dev", "turn off mqtt on iot": taking a setting away from a deployment named in the text.
    const removal = featureRemoval(reading);
    if (removal) return removal;
  }
  if (signals.strongModify && (!signals.deploy || explicit || pointsBack)) return modify(reading);
  if (signals.weakModify && (explicit || pointsBack) && !opensWithDeploy(reading)) return modify(reading);
  if (signals.changeIt && !opensWithDeploy(reading)) return modify(reading);
  if (!signals.deploy && definiteReference(reading) && changesSomething(reading)) return modify(reading);
  if (!signals.deploy && reading.context.focus && followUp(reading)) return modify(reading);
  if (explicit && changesRelatively(reading)) return modify(reading);
  if (choice.best) return deploy(reading, choice.best.pattern);
  if (signals.weakModify && reading.context.focus) return modify(reading);
  return unsupported(reading);
}

/**
 * "Give the minecraft server twenty players": a deployment that exists, spoken of as known ("the", "my"), with no verb
 * that builds something new. Without the article ("minecraft server, 20 slots") it reads as a new request.
 */
function definiteReference(reading: Reading): boolean {
  const named = reading.named;
  if (!named || named.how === 'pattern') return false;
  return named.spans.some((span) =>
    /\b(?:the|my|our|that|this)\s+$/i.test(reading.text.slice(Math.max(0, span.start - 6), span.start)),
  );
}

/** Whether the text sets any parameter of the named deployment's pattern. */
function changesSomething(reading: Reading): boolean {
  const deployment = deploymentNamed(reading, reading.named?.name);
  const pattern = patternOf(reading.context.patterns, deployment);
  if (!pattern) return false;
  const text = blank(reading.text, reading.named?.spans ?? []);
  return (
    Object.keys(extractParams(text, pattern, { current: deployment?.params ?? {}, modifying: true }).values)
      .length > 0
  );
}

/**
 * "Jellyfin needs an extra terabyte", "the vpn needs 2 more peers": an amount on top of what a named deployment has
 * only makes sense as a change to it, whatever the verb.
 */
function changesRelatively(reading: Reading): boolean {
  const deployment = deploymentNamed(reading, reading.named?.name);
  const pattern = patternOf(reading.context.patterns, deployment);
  if (!pattern || !deployment?.params || OPENS_WITH_DEPLOY.test(reading.text.trim())) return false;
  const text = blank(reading.text, reading.named?.spans ?? []);
  const relative = extractParams(text, pattern, { current: deployment.params, modifying: true }).values;
  const absolute = extractParams(text, pattern, { modifying: true }).values;
  return Object.entries(relative).some(
    ([name, value]) => typeof value === 'number' && absolute[name] !== value,
  );
}

/** "Can you deploy...?", "Is it possible to set up ...?": a request phrased as a question. */
function isPoliteRequest(reading: Reading): boolean {
  if (!reading.signals.deploy || !reading.choice.best) return false;
  return !/^(?:(?:hey|hi|ok|so|and|please)[,\s]+)?(?:what|what's|whats|which|where|who|how\s+many|how\s+much|list|show|tell\s+me|display|do\s+i\s+have|is\s+there|are\s+there)\b/i.test(
    reading.text.trim(),
  );
}

const REMOVING = new RegExp(
  `\\b(?:${REMOVING_WORDS.map((word) => word.replace(/\s+/g, '\\s+')).join('|')})\\b`,
  'i',
);

const OPENS_WITH_DEPLOY =
  /^(?:(?:please|hey|ok|so|and|also|now)[,\s]+)?(?:(?:can|could|would)\s+you\s+)?(?:deploy|set\s*up|create|spin\s+up|install|launch|provision|add\s+(?:a|an|another)|make\s+(?:me\s+)?(?:a|an)|give\s+me|i\s+(?:want|need))\b/i;

/**
 * "Add a minecraft server" opens with a deploy verb and an article: a new thing, not a change, even when a minecraft
 * server exists. "Add a player to the minecraft server" names the existing one as where the new thing goes: a change.
 */
function opensWithDeploy(reading: Reading): boolean {
  if (!OPENS_WITH_DEPLOY.test(reading.text.trim())) return false;
  const named = reading.named;
  if (!named) return true;
  if (named.how === 'pattern' || named.spans.length === 0) return false;
  return !named.spans.some((span) =>
    /\b(?:to|on|for|in|of|into|onto)\s+(?:the\s+|my\s+|our\s+)?$/i.test(
      reading.text.slice(Math.max(0, span.start - 16), span.start),
    ),
  );
}

/** With a deployment in focus, a request with no verb that only gives values ("16 GB", "and on vlan 21"). */
function followUp(reading: Reading): boolean {
  const focus = reading.context.focus!;
  const pattern = patternOf(reading.context.patterns, focus);
  if (!pattern) return false;
  if (reading.choice.best && reading.choice.best.pattern !== pattern && reading.choice.confidence > 0.5)
    return false;
  const extraction = extractParams(reading.text, pattern, { current: focus.params ?? {}, modifying: true });
  // Naming what the thing is ("valheim for 3", "minecraft server, 20 slots") starts a new request; a follow-up only
  // gives values ("16 GB please", "and on vlan 21").
  const identity = describeParams(pattern).filter((spec) => spec.required);
  if (identity.some((spec) => spec.name in extraction.values)) return false;
  return Object.keys(extraction.values).length > 0;
}

function patternOf(
  patterns: readonly Pattern[],
  deployment: KnownDeployment | undefined,
): Pattern | undefined {
  return deployment?.pattern ? patterns.find((pattern) => pattern.name === deployment.pattern) : undefined;
}

function deploymentNamed(reading: Reading, name: string | undefined): KnownDeployment | undefined {
  if (name === undefined) return undefined;
  const { deployments, focus } = reading.context;
  return (
    deployments.find((deployment) => deployment.name === name) ?? (focus?.name === name ? focus : undefined)
  );
}

/**
 * The deployment an action is about: named in the text; else "it" with a focus; else the words after the verb (a
 * deployment we do not know, which the caller will report); else the focus.
 */
function resolveTarget(
  reading: Reading,
  verb?: RegExpExecArray,
  options: { requireDeterminer?: boolean } = {},
): TargetMatch | undefined {
  const { named, context, text } = reading;
  if (named) return named;
  if (context.focus && refersBack(text)) return { name: context.focus.name, spans: [], how: 'focus' };
  const specs = context.patterns.flatMap((pattern) => describeParams(pattern));
  const vocabulary = specs.flatMap((spec) => [...spec.options, ...Object.values(spec.synonyms).flat()]);
  const paramWords = specs
    .flatMap((spec) => [...spec.words, ...nameWords(spec.name)])
    .filter((word) => !/\s/.test(word));
  const fromText = targetFromText(text, {
    ...(verb ? { after: verb.index + verb[0].length } : {}),
    vocabulary,
    ...(options.requireDeterminer ? { requireDeterminer: true } : {}),
    paramWords,
  });
  if (fromText && !(context.focus && context.deployments.length === 0 && !verb)) {
    if (context.deployments.length > 0) {
      reading.notes.push(`No deployment called "${fromText.name}" is known; the target is taken as written.`);
    }
    return fromText;
  }
  if (context.focus) return { name: context.focus.name, spans: [], how: 'focus' };
  return fromText;
}

function targetNotes(reading: Reading, target: TargetMatch | undefined): void {
  if (!target) reading.notes.push('Which deployment is meant is not clear; name it.');
  else if (target.ambiguous?.length) {
    reading.notes.push(
      `"${target.name}" was chosen, but ${target.ambiguous.map((name) => `"${name}"`).join(', ')} matched as well.`,
    );
  }
}

function targetConfidence(target: TargetMatch | undefined): number {
  if (!target) return 0.4;
  if (target.ambiguous?.length) return 0.55;
  return { name: 0.9, param: 0.85, pattern: 0.75, focus: 0.7, text: 0.65 }[target.how];
}

function restore(reading: Reading): Intent {
  const verb = reading.signals.restore!;
  // The time phrase is not part of the target's name.
  const time = parseTimeReference(reading.text, reading.context.now ?? new Date());
  const withoutTime = time ? { ...reading, text: blank(reading.text, [time]) } : reading;
  const target = resolveTarget(
    withoutTime,
    /^(?:as\s+of|how|the\s+way|back\s+to)/i.test(verb[0]) ? undefined : verb,
  );
  targetNotes(reading, target);
  if (!time)
    reading.notes.push(
      'No point in time was given ("as of yesterday", "2 hours ago"); the latest earlier revision is meant.',
    );
  return {
    kind: 'restore',
    ...(target ? { target: target.name } : {}),
    ...(time ? { at: time.value } : {}),
    confidence: round(targetConfidence(target) * (time ? 1 : 0.8)),
    notes: reading.notes,
  };
}

function troubleshoot(reading: Reading): Intent {
  const target = resolveTarget(reading);
  targetNotes(reading, target);
  return {
    kind: 'troubleshoot',
    ...(target ? { target: target.name } : {}),
    symptom: reading.text.trim(),
    confidence: round(targetConfidence(target)),
    notes: reading.notes,
  };
}

/**
 * "Remove redis from the dev env", "disable mqtt on the iot network": a removing verb whose object is a setting of
 * the deployment, which is a change, not a teardown.
 */
function featureRemoval(reading: Reading): Intent | undefined {
  const target =
    reading.named ??
    (reading.context.focus
      ? { name: reading.context.focus.name, spans: [], how: 'focus' as const }
      : undefined);
  const deployment = deploymentNamed(reading, target?.name);
  const pattern = patternOf(reading.context.patterns, deployment) ?? reading.choice.best?.pattern;
  if (!pattern) return undefined;
  const text = blank(reading.text, target?.spans ?? []);
  const extraction = extractParams(text, pattern, { current: deployment?.params ?? {}, modifying: true });
  const removes = Object.entries(extraction.values).some(([name, value]) => {
    if (value === false) return true;
    const now = deployment?.params?.[name];
    return Array.isArray(value) && Array.isArray(now) && value.length < now.length;
  });
  if (!removes) return undefined;
  return modify(reading, target);
}

function destroy(reading: Reading): Intent {
  const target = resolveTarget(reading, reading.signals.destroy);
  targetNotes(reading, target);
  return {
    kind: 'destroy',
    ...(target ? { target: target.name } : {}),
    confidence: round(targetConfidence(target)),
    notes: reading.notes,
  };
}

function query(reading: Reading): Intent {
  const named = reading.named && reading.named.how !== 'pattern' ? reading.named : undefined;
  return {
    kind: 'query',
    question: reading.text.trim(),
    ...(named ? { target: named.name } : {}),
    confidence: 0.8,
    notes: reading.notes,
  };
}

function modify(reading: Reading, given?: TargetMatch): Intent {
  const verb = reading.signals.strongModify ?? reading.signals.weakModify ?? reading.signals.changeIt;
  const target = given ?? resolveTarget(reading, verb, { requireDeterminer: true });
  targetNotes(reading, target);
  const deployment = deploymentNamed(reading, target?.name);
  const rename = /\brename\b.*?\b(?:to|as)\s+["'“]?([a-z0-9][\w.-]*)["'”]?/i.exec(reading.text);
  // The new name is not a value for anything else ("to staging" is no firewall destination).
  const text = blank(reading.text, [
    ...(target?.spans ?? []),
    ...(rename ? [{ start: rename.index, end: rename.index + rename[0].length }] : []),
  ]);
  let pattern = patternOf(reading.context.patterns, deployment);
  let extraction: ParamExtraction | undefined;
  const current = deployment?.params ?? {};
  const read = (candidate: Pattern) => {
    const result = extractParams(text, candidate, { current, modifying: true });
    const nameSpec = rename ? describeParams(candidate).find((spec) => spec.format === 'name') : undefined;
    if (rename && nameSpec) result.values[nameSpec.name] = rename[1]!;
    return result;
  };
  if (pattern) {
    extraction = read(pattern);
  } else {
    // No known pattern: the one the words point at, else whichever reads the most from the text.
    const ranked = reading.choice.best ? [reading.choice.best.pattern] : reading.context.patterns;
    for (const candidate of ranked) {
      const attempt = read(candidate);
      if (!extraction || Object.keys(attempt.values).length > Object.keys(extraction.values).length) {
        extraction = attempt;
        pattern = candidate;
      }
    }
  }
  const changes: Record<string, unknown> = {};
  if (pattern && extraction) {
    const shape = pattern.params.shape as Record<
      string,
      { safeParse(value: unknown): { success: boolean; data?: unknown } }
    >;
    for (const [name, value] of Object.entries(extraction.values)) {
      const checked = shape[name]?.safeParse(value);
      if (checked?.success) changes[name] = checked.data;
      else reading.notes.push(`${name} ${JSON.stringify(value)} is not a valid value; it was left out.`);
    }
    reading.notes.push(...extraction.notes);
  }
  if (Object.keys(changes).length === 0) {
    // "Turn on the lights": a change verb about nothing Conductor knows is not a change.
    if (!deployment && reading.context.focus === undefined) return unsupported(reading);
    reading.notes.push('No change to a parameter was understood.');
  }
  const confidence = targetConfidence(target) * (Object.keys(changes).length > 0 ? 1 : 0.6);
  return {
    kind: 'modify',
    ...(target ? { target: target.name } : {}),
    changes,
    confidence: round(confidence),
    notes: reading.notes,
  };
}

function deploy(reading: Reading, pattern: Pattern): Intent {
  const extraction = extractParams(reading.text, pattern);
  const notes = [...reading.notes, ...extraction.notes];
  const given = { ...extraction.values };
  let resolved = resolveParams(pattern, given);
  // Values the schema refuses are dropped with a note, never passed on.
  for (let attempt = 0; attempt < 3 && !resolved.ok && resolved.issues.length > 0; attempt += 1) {
    for (const issue of resolved.issues) {
      if (issue.param in given) {
        notes.push(`${issue.param} ${JSON.stringify(given[issue.param])} was not used: ${issue.message}.`);
        delete given[issue.param];
      }
    }
    resolved = resolveParams(pattern, given);
  }
  const [, second] = reading.choice.ranking;
  if (second && second.score >= reading.choice.best!.score * 0.85) {
    notes.push(`Read as ${pattern.name}; ${second.pattern.name} was a close second.`);
  }
  if (resolved.ok) {
    return {
      kind: 'deploy',
      pattern: pattern.name,
      params: resolved.params,
      confidence: reading.choice.confidence,
      notes,
    };
  }
  const params = withDefaults(pattern, given);
  return {
    kind: 'deploy',
    pattern: pattern.name,
    params,
    missing: resolved.missing,
    confidence: reading.choice.confidence,
    notes: [...notes, `Still needed: ${resolved.missing.join(', ')}.`],
  };
}

/** The given values plus each other parameter's own default, for when required ones are missing. */
function withDefaults(pattern: Pattern, given: Record<string, unknown>): Record<string, unknown> {
  const shape = pattern.params.shape as Record<
    string,
    { safeParse(value: unknown): { success: boolean; data?: unknown } }
  >;
  const params: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    if (name in given) {
      const checked = schema.safeParse(given[name]);
      params[name] = checked.success ? checked.data : given[name];
      continue;
    }
    const fallback = schema.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) params[name] = fallback.data;
  }
  return params;
}

function unsupported(reading: Reading): Intent {
  return {
    kind: 'unsupported',
    confidence: reading.choice.ranking.length === 0 ? 0.9 : 0.6,
    notes: [
      ...reading.notes,
      `This is not something Conductor can deploy or answer; it knows: ${reading.context.patterns.map((pattern) => pattern.name).join(', ')}.`,
    ],
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
