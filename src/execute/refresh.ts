// Drift: reads every managed resource back from its provider and compares it with what state recorded. A resource
// whose properties changed outside Conductor has drifted; one the provider no longer has has vanished. `refresh`
// writes what the providers hold into state; `plan --refresh` plans against it, so the plan puts things back.
import type { PropertyChange } from '../model/plan.js';
import type { ResourceRecord } from '../model/resource-record.js';
import { deepEqual, diffProperties } from '../plan/diff.js';
import { ProviderError } from './provider-error.js';
import type { ProviderGateway } from './provider-gateway.js';

export interface DriftItem {
  address: string;
  server: string;
  deployment: string;
  id?: string;
  kind: 'changed' | 'vanished';
  /** For `changed`: from what state recorded to what the provider holds. */
  changes: PropertyChange[];
}

export interface DriftReport {
  drift: DriftItem[];
  /** Every record read, as the provider holds it now (vanished ones left out). */
  refreshed: ResourceRecord[];
  /** Records that could not be read (server down, no read tool): state is kept for them. */
  unreadable: Array<{ address: string; server: string; reason: string }>;
}

export interface DetectDriftOptions {
  timeoutMs?: number;
  /** Reads at once (default 8). */
  concurrency?: number;
  now?: () => Date;
}

export async function detectDrift(
  records: readonly ResourceRecord[],
  gateway: ProviderGateway,
  options: DetectDriftOptions = {},
): Promise<DriftReport> {
  const report: DriftReport = { drift: [], refreshed: [], unreadable: [] };
  const results: Array<ResourceRecord | undefined> = new Array(records.length);
  const now = (options.now ?? (() => new Date()))().toISOString();
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const index = next++;
      const record = records[index]!;
      if (!record.id) {
        report.unreadable.push({
          address: record.address,
          server: record.server,
          reason: 'state has no provider id',
        });
        results[index] = record;
        continue;
      }
      try {
        const actual = await gateway.read(
          { server: record.server, type: record.type, id: record.id },
          { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) },
        );
        if (!actual) {
          report.drift.push({
            address: record.address,
            server: record.server,
            deployment: record.deployment,
            id: record.id,
            kind: 'vanished',
            changes: [],
          });
          continue;
        }
        const same =
          deepEqual(record.properties, actual.properties) && deepEqual(record.outputs, actual.outputs);
        results[index] = same
          ? record
          : { ...record, properties: actual.properties, outputs: actual.outputs, updatedAt: now };
        const changes = diffProperties(record.properties, actual.properties);
        if (changes.length > 0)
          report.drift.push({
            address: record.address,
            server: record.server,
            deployment: record.deployment,
            id: record.id,
            kind: 'changed',
            changes,
          });
      } catch (error) {
        report.unreadable.push({
          address: record.address,
          server: record.server,
          reason: ProviderError.isInstance(error) || error instanceof Error ? error.message : String(error),
        });
        results[index] = record;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, records.length) }, worker));
  report.refreshed = results.filter((record): record is ResourceRecord => record !== undefined);
  return report;
}
