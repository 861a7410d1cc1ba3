// What `conductor refresh` and `plan --refresh` say about drift: which managed resources changed outside Conductor or
// vanished, leaf by leaf, secrets masked.
import pc from 'picocolors';
import type { DriftReport } from '../execute/refresh.js';
import { formatValue } from './render-plan.js';

export function renderDrift(report: DriftReport, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  if (report.drift.length === 0)
    lines.push(`No drift: ${report.refreshed.length} resource(s) match what state recorded.`);
  else lines.push(c.bold(`Drift: ${report.drift.length} resource(s) differ from what state recorded.`));
  for (const item of report.drift) {
    if (item.kind === 'vanished') {
      lines.push(
        `  ${c.red('!')} ${item.address}: gone from ${item.server}${item.id ? ` (id ${item.id})` : ''}`,
      );
      continue;
    }
    lines.push(`  ${c.yellow('~')} ${item.address}: changed outside Conductor`);
    for (const change of item.changes)
      lines.push(
        `        ${change.path}  ${formatValue(change.path, change.before)} → ${formatValue(change.path, change.after)}`,
      );
  }
  for (const item of report.unreadable)
    lines.push(`  ${c.dim('?')} ${item.address}: could not be read (${item.reason})`);
  return `${lines.join('\n')}\n`;
}
