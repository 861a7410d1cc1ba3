// What `conductor deployments` and `conductor state` print: tables a person scans, secrets masked.
import type { ResourceRecord } from '../model/resource-record.js';
import type { DeploymentRecord } from '../state/records.js';
import { formatTable } from './format-table.js';
import { redactValue } from './redact.js';

export function renderDeployments(
  deployments: readonly DeploymentRecord[],
  resourceCounts: ReadonlyMap<string, number>,
): string {
  if (deployments.length === 0) return 'No deployments yet. `conductor apply -f FILE` creates one.\n';
  const rows = deployments.map((record) => [
    record.name,
    record.status,
    resourceCounts.get(record.name) ?? 0,
    record.revision,
    record.pattern ?? '-',
    shortTime(record.updatedAt),
  ]);
  const table = formatTable(['DEPLOYMENT', 'STATUS', 'RESOURCES', 'REVISION', 'PATTERN', 'UPDATED'], rows);
  const attention = deployments.filter(
    (record) => record.status === 'applying' || record.status === 'failed',
  );
  const notes = attention.map((record) =>
    record.status === 'applying'
      ? `${record.name}: an apply is running or was interrupted; if no apply is running, run \`conductor recover\`.`
      : `${record.name}: the last apply failed and part of it remains (see \`conductor state --deployment ${record.name}\`); if its rollback failed, \`conductor recover\` retries it.`,
  );
  return `${table}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`;
}

export function renderResources(
  records: readonly ResourceRecord[],
  options: { verbose?: boolean } = {},
): string {
  if (records.length === 0) return 'State holds no resources.\n';
  const table = formatTable(
    ['ADDRESS', 'ID', 'DEPLOYMENT', 'UPDATED'],
    records.map((record) => [
      record.address,
      record.id ?? '-',
      record.deployment,
      shortTime(record.updatedAt ?? record.createdAt),
    ]),
  );
  if (!options.verbose) return `${table}\n`;
  const details = records.map((record) => {
    const properties = redactValue(record.properties, record.sensitive ?? []);
    const outputs = redactValue(record.outputs, record.sensitive ?? []);
    return `${record.address}\n  properties: ${JSON.stringify(properties)}\n  outputs:    ${JSON.stringify(outputs)}`;
  });
  return `${table}\n\n${details.join('\n')}\n`;
}

/** Masks secrets in records printed as JSON. */
export function redactRecords(records: readonly ResourceRecord[]): ResourceRecord[] {
  return records.map((record) => ({
    ...record,
    properties: redactValue(record.properties, record.sensitive ?? []) as ResourceRecord['properties'],
    outputs: redactValue(record.outputs, record.sensitive ?? []) as ResourceRecord['outputs'],
  }));
}

function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}
