// After an apply: a short account of what now exists and how to reach it (addresses, devices, hostnames, ports),
// from the records state keeps. Only outputs a person uses to find things; secrets stay masked.
import type { ResourceRecord } from '../model/resource-record.js';
import { formatTable } from './format-table.js';
import { isSensitivePath } from './redact.js';

/** Outputs worth showing, in this order; the first few found on a resource are shown. */
const REACHABLE = [
  'fqdn',
  'hostname',
  'dnsName',
  'url',
  'endpoint',
  'ipAddress',
  'address',
  'publicIp',
  'privateIp',
  'device',
  'tag',
  'subnet',
  'hostPorts',
  'ports',
  'listenPort',
  'from',
  'to',
  'interface',
  'destinationPort',
  'target',
  'status',
];

export function renderDeploymentSummary(name: string, records: readonly ResourceRecord[]): string {
  if (records.length === 0) return `${name} has no resources in state.\n`;
  const rows = records.map((record) => [record.address, reachability(record)]);
  return `${name} now has ${records.length} resource${records.length === 1 ? '' : 's'}:\n${formatTable(['RESOURCE', 'DETAILS'], rows)}\n`;
}

function reachability(record: ResourceRecord): string {
  const shown: string[] = [];
  const sources = [record.outputs ?? {}, record.properties ?? {}];
  for (const key of REACHABLE) {
    if (shown.length >= 3) break;
    if (isSensitivePath(key, record.sensitive ?? [])) continue;
    const value = sources.map((source) => source[key]).find((entry) => entry !== undefined && entry !== '');
    if (value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value)))
      continue;
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    if (text === '') continue;
    shown.push(`${key} ${text}`);
  }
  if (shown.length === 0 && record.id) shown.push(`id ${record.id}`);
  return shown.join('  ');
}
