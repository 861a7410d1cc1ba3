// What troubleshooting finds, and how it reads: problems first with the fix Conductor would propose, then what could
// not be checked, then a short line for everything that is fine.
import { compareText } from '../../model/compare-text.js';

export type TroubleshootCheck =
  | 'deployment'
  | 'vlan'
  | 'exists'
  | 'drift'
  | 'running'
  | 'port-forward'
  | 'firewall-rule'
  | 'dns';

export type FindingStatus = 'ok' | 'problem' | 'unknown';

export interface Finding {
  check: TroubleshootCheck;
  status: FindingStatus;
  /** The resource the finding is about. */
  address?: string;
  /** One or two sentences, secrets masked. */
  summary: string;
  /** The fix Conductor would propose, as a sentence (problems only). */
  fix?: string;
  /** Re-applying the deployment after a refresh would fix it (the plan puts back what state recorded). */
  reapply?: boolean;
}

export interface TroubleshootReport {
  deployment: string;
  symptom?: string;
  /** ISO time the checks ran. */
  checkedAt: string;
  findings: Finding[];
  counts: Record<FindingStatus, number>;
}

const CHECK_ORDER: readonly TroubleshootCheck[] = [
  'deployment',
  'vlan',
  'exists',
  'drift',
  'running',
  'port-forward',
  'firewall-rule',
  'dns',
];

const CHECK_NAMES: Record<TroubleshootCheck, string> = {
  deployment: 'deployment',
  vlan: 'VLAN',
  exists: 'resource',
  drift: 'drift',
  running: 'running',
  'port-forward': 'port forward',
  'firewall-rule': 'firewall rule',
  dns: 'DNS',
};

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      CHECK_ORDER.indexOf(a.check) - CHECK_ORDER.indexOf(b.check) ||
      compareText(a.address ?? '', b.address ?? ''),
  );
}

export function countFindings(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts = { ok: 0, problem: 0, unknown: 0 };
  for (const finding of findings) counts[finding.status]++;
  return counts;
}

/** Plain text, no colour codes, ending with a newline. */
export function renderTroubleshootReport(report: TroubleshootReport): string {
  const lines = [
    `Troubleshooting ${report.deployment}${report.symptom ? ` ("${report.symptom}")` : ''}: ${describeCounts(report.counts)}.`,
  ];
  const problems = report.findings.filter((finding) => finding.status === 'problem');
  const unknown = report.findings.filter((finding) => finding.status === 'unknown');
  const ok = report.findings.filter((finding) => finding.status === 'ok');
  if (problems.length > 0) {
    lines.push('', 'Problems:');
    for (const finding of problems) {
      lines.push(`  ✗ [${CHECK_NAMES[finding.check]}] ${finding.summary}`);
      if (finding.fix) lines.push(`    Fix: ${finding.fix}`);
    }
  }
  if (unknown.length > 0) {
    lines.push('', 'Could not check:');
    for (const finding of unknown) lines.push(`  ? [${CHECK_NAMES[finding.check]}] ${finding.summary}`);
  }
  if (ok.length > 0) {
    lines.push('', 'Fine:');
    for (const finding of ok) lines.push(`  ✓ [${CHECK_NAMES[finding.check]}] ${finding.summary}`);
  }
  if (problems.length === 0 && unknown.length === 0)
    lines.push('', 'Every check passed. If it still misbehaves, the cause is inside the service itself.');
  else if (problems.some((finding) => finding.reapply))
    lines.push(
      '',
      `Re-applying ${report.deployment} after a refresh fixes the problems marked so: it puts back what state recorded.`,
    );
  return `${lines.join('\n')}\n`;
}

function describeCounts(counts: Record<FindingStatus, number>): string {
  const parts = [
    `${counts.problem} problem${counts.problem === 1 ? '' : 's'}`,
    ...(counts.unknown > 0 ? [`${counts.unknown} not checked`] : []),
    `${counts.ok} fine`,
  ];
  return parts.join(', ');
}
