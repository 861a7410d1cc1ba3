// The review a person reads before approving: problems first, then changes grouped by wave, then policy results
// and a summary line. Secrets are masked; values only known after apply say so.

import pc from 'picocolors';
import { compareText } from '../model/compare-text.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan, PolicyResult, PropertyChange, Step, StepAction } from '../model/plan.js';
import { isUnknown } from '../model/unknown.js';
import { REDACTED, redactValue } from './redact.js';

export interface RenderOptions {
  color?: boolean;
  /** Show unchanged resources one by one instead of a count. */
  showUnchanged?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

const MARKERS: Record<StepAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  same: ' ',
};

export function renderPlan(plan: Plan, options: RenderOptions = {}): string {
  const colors = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');

  if (errors.length > 0) {
    lines.push(
      colors.bold(
        plan.deployment ? `Deployment "${plan.deployment}" cannot be planned:` : 'Nothing could be planned:',
      ),
      '',
    );
    for (const diagnostic of plan.diagnostics) lines.push(...renderDiagnostic(diagnostic, colors), '');
    lines.push(
      colors.red(
        `${errors.length} error${errors.length === 1 ? '' : 's'}${warningCount(plan.diagnostics)}: nothing was planned.`,
      ),
    );
    return `${lines.join('\n')}\n`;
  }

  const changing = plan.steps.filter((step) => step.action !== 'same');
  const unchanged = plan.steps.filter((step) => step.action === 'same');
  if (changing.length === 0) {
    lines.push(colors.bold(`Deployment "${plan.deployment}": no changes.`), '');
  } else {
    lines.push(colors.bold(`Deployment "${plan.deployment}": Conductor will perform these actions`));
    lines.push(
      colors.dim(
        `  ${MARKERS.create} create   ${MARKERS.update} update   ${MARKERS.replace} replace   ${MARKERS.delete} delete`,
      ),
      '',
    );
  }
  const byAddress = new Map(changing.map((step) => [step.address, step]));
  plan.waves.forEach((wave, index) => {
    const parallel = wave.length > 1 ? colors.dim(` (${wave.length} in parallel)`) : '';
    lines.push(colors.bold(`Wave ${index + 1}`) + parallel);
    for (const address of wave) {
      const step = byAddress.get(address);
      if (step) lines.push(...renderStep(step, colors));
    }
    lines.push('');
  });
  if (unchanged.length > 0) {
    if (options.showUnchanged) {
      lines.push(colors.bold('Unchanged'));
      for (const step of unchanged) lines.push(`    ${colors.dim(step.address)}`);
      lines.push('');
    } else if (changing.length > 0) {
      lines.push(
        colors.dim(`${unchanged.length} resource${unchanged.length === 1 ? '' : 's'} unchanged.`),
        '',
      );
    }
  }

  const warnings = plan.diagnostics.filter((diagnostic) => diagnostic.severity !== 'error');
  if (warnings.length > 0) {
    lines.push(colors.bold('Warnings'));
    for (const diagnostic of warnings)
      lines.push(...renderDiagnostic(diagnostic, colors).map((line) => `  ${line}`));
    lines.push('');
  }

  if (plan.policies) lines.push(...renderPolicies(plan, colors), '');
  lines.push(renderSummary(plan, colors));
  return `${lines.join('\n')}\n`;
}

function renderStep(step: Step, colors: Colors): string[] {
  const paint = actionColor(step.action, colors);
  const marker = MARKERS[step.action].padStart(3);
  let heading = `${paint(marker)} ${paint(step.address)}`;
  if (step.action === 'replace' && step.replaceBecause?.length) {
    heading += colors.dim(` (replaced: ${step.replaceBecause.join(', ')} cannot change in place)`);
  }
  const lines = [heading];
  const sensitive = step.sensitive ?? [];
  if (step.action === 'delete' || step.action === 'create') {
    // Creates and deletes show every property: what will exist, or what will be gone.
    const properties = step.action === 'create' ? step.after : step.before;
    const entries = Object.entries(properties ?? {}).sort(([a], [b]) => compareText(a, b));
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    for (const [key, value] of entries) {
      const text = `${key.padEnd(width)}  ${formatValue(key, value, sensitive, colors)}`;
      lines.push(`        ${step.action === 'delete' ? colors.dim(text) : text}`);
    }
    return lines;
  }
  const width = Math.max(0, ...step.changes.map((change) => change.path.length));
  for (const change of step.changes) lines.push(`        ${renderChange(change, width, sensitive, colors)}`);
  return lines;
}

function renderChange(
  change: PropertyChange,
  width: number,
  sensitive: readonly string[],
  colors: Colors,
): string {
  const key = change.path.padEnd(width);
  const after = formatValue(change.path, change.after, sensitive, colors);
  const before = formatValue(change.path, change.before, sensitive, colors);
  const forces = change.forcesReplacement ? colors.red('  # forces replacement') : '';
  if (change.kind === 'add') return `${colors.green('+')} ${key}  ${after}${forces}`;
  if (change.kind === 'remove') return `${colors.red('-')} ${key}  ${colors.dim(before)}${forces}`;
  return `${colors.yellow('~')} ${key}  ${before} ${colors.dim('→')} ${after}${forces}`;
}

/** One value as a person reads it: JSON-like, unknowns and secrets named as such. */
export function formatValue(
  path: string,
  value: unknown,
  sensitive: readonly string[] = [],
  colors?: Colors,
): string {
  const shown = redactValue(value, sensitive, path);
  return shown === REDACTED ? REDACTED : formatInner(shown, colors);
}

function formatInner(value: unknown, colors: Colors | undefined): string {
  if (isUnknown(value)) {
    const text = `${value.$unknown} (known after apply)`;
    return colors ? colors.cyan(text) : text;
  }
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => formatInner(item, colors)).join(', ')}]`;
  if (value === REDACTED) return REDACTED;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, inner]) => `${key}: ${formatInner(inner, colors)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function renderDiagnostic(diagnostic: Diagnostic, colors: Colors): string[] {
  const label =
    diagnostic.severity === 'error'
      ? colors.red('Error')
      : diagnostic.severity === 'warning'
        ? colors.yellow('Warning')
        : colors.cyan('Note');
  const lines = [`${label}: ${diagnostic.summary} ${colors.dim(`[${diagnostic.code}]`)}`];
  const where = [
    diagnostic.source
      ? `${diagnostic.source.file}:${diagnostic.source.line}:${diagnostic.source.column}`
      : undefined,
    diagnostic.path,
  ].filter(Boolean);
  if (where.length > 0) lines.push(colors.dim(`  at ${where.join(', ')}`));
  if (diagnostic.detail) lines.push(`  ${diagnostic.detail}`);
  return lines;
}

function renderPolicies(plan: Plan, colors: Colors): string[] {
  const report = plan.policies!;
  const violations = report.results.filter((result) => result.status === 'violation');
  const unverifiable = report.results.filter((result) => result.status === 'unverifiable');
  const lines = [colors.bold(`Policies (${report.evaluated.length} checked)`)];
  if (report.results.length === 0) {
    lines.push(`  ${colors.green('✓')} all passed`);
    return lines;
  }
  for (const result of violations) lines.push(...renderPolicyResult(result, colors));
  for (const result of unverifiable) lines.push(...renderPolicyResult(result, colors));
  const failing = new Set(report.results.map((result) => result.policy));
  const passed = report.evaluated.filter((id) => !failing.has(id));
  if (passed.length > 0) lines.push(`  ${colors.green('✓')} ${passed.join(', ')}`);
  return lines;
}

function renderPolicyResult(result: PolicyResult, colors: Colors): string[] {
  const blocking = result.status === 'violation' && result.enforcement === 'mandatory' && !result.overridden;
  const symbol =
    result.status === 'unverifiable' ? colors.cyan('?') : blocking ? colors.red('✗') : colors.yellow('!');
  const tag = result.overridden
    ? `overridden: ${result.overridden.reason}`
    : result.status === 'unverifiable'
      ? 'check at apply'
      : blocking
        ? 'blocks apply'
        : 'advisory';
  const lines = [
    `  ${symbol} ${severityLabel(result, colors)} ${result.policy} ${colors.dim(`(${tag})`)}${result.address ? `  ${result.address}` : ''}`,
    `      ${result.summary}`,
  ];
  if (result.detail && result.status === 'unverifiable') lines.push(`      ${colors.dim(result.detail)}`);
  if (result.remediation && result.status === 'violation')
    lines.push(`      ${colors.dim(`Fix: ${result.remediation}`)}`);
  return lines;
}

function severityLabel(result: PolicyResult, colors: Colors): string {
  const text = result.severity.toUpperCase().padEnd(8);
  return result.severity === 'critical' || result.severity === 'high'
    ? colors.red(text)
    : colors.yellow(text);
}

export function renderSummary(plan: Plan, colors: Colors = pc.createColors(false)): string {
  const { summary } = plan;
  const parts = [
    `${summary.create} to create`,
    `${summary.update} to update`,
    `${summary.replace} to replace`,
    `${summary.delete} to delete`,
    `${summary.same} unchanged`,
  ];
  let line = `Plan: ${parts.join(', ')}.`;
  if (plan.waves.length > 0) {
    line += ` ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}, critical path ${plan.criticalPath.length} step${plan.criticalPath.length === 1 ? '' : 's'}.`;
  }
  if (plan.policies) {
    const blocking = plan.policies.results.filter(
      (result) => result.status === 'violation' && result.enforcement === 'mandatory' && !result.overridden,
    ).length;
    const advisory = plan.policies.results.filter(
      (result) => result.status === 'violation' && result.enforcement !== 'mandatory',
    ).length;
    const overridden = plan.policies.results.filter((result) => result.overridden).length;
    const later = plan.policies.results.filter((result) => result.status === 'unverifiable').length;
    if (blocking > 0) {
      line += colors.red(` Blocked by ${blocking} mandatory policy violation${blocking === 1 ? '' : 's'}.`);
    } else {
      const notes = [
        overridden > 0 ? `${overridden} overridden` : undefined,
        advisory > 0 ? `${advisory} advisory warning${advisory === 1 ? '' : 's'}` : undefined,
        later > 0 ? `${later} check${later === 1 ? '' : 's'} at apply` : undefined,
      ].filter(Boolean);
      line += ` Policies passed${notes.length > 0 ? ` (${notes.join(', ')})` : ''}.`;
    }
  }
  return line;
}

function warningCount(diagnostics: readonly Diagnostic[]): string {
  const count = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length;
  return count > 0 ? `, ${count} warning${count === 1 ? '' : 's'}` : '';
}

function actionColor(action: StepAction, colors: Colors): (text: string) => string {
  switch (action) {
    case 'create':
      return colors.green;
    case 'update':
      return colors.yellow;
    case 'replace':
      return colors.magenta;
    case 'delete':
      return colors.red;
    default:
      return colors.dim;
  }
}
