// What an interrupted apply touched, what each resource was before it, and what the providers hold now. Recover uses
// this to decide what to undo (or adopt). Everything is derived from the journal and fresh provider reads, never from
// state alone: state may lag a crash by one write, the journal and the providers do not.
import type { ResourceRecord } from '../model/resource-record.js';
import type { ApplyRecord, JournalEntry } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { CallOptions, ProviderGateway, ProviderResource } from './provider-gateway.js';

/** One server+name an apply touched. */
export interface TouchedResource {
  key: string;
  address: string;
  server: string;
  type: string;
  name: string;
  deployment: string;
  dependsOn: string[];
  /** What it was before the apply; undefined when the apply created it. */
  original?: ResourceRecord;
  /** Ids this apply (or a rollback of it) created for this name. */
  createdIds: Set<string>;
}

/** Applies that need recover: interrupted (still `running`, their lock gone) or whose rollback failed. */
export async function findApplyToRecover(state: StateStore): Promise<ApplyRecord[]> {
  const result: ApplyRecord[] = [];
  for (const deployment of await state.listDeployments()) {
    if (!deployment.lastApply) continue;
    const apply = await state.getApply(deployment.lastApply);
    if (apply && (apply.status === 'running' || apply.status === 'rollback-failed')) result.push(apply);
  }
  return result.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

/** Every resource the journal shows the apply (or its rollback) calling a provider for, with its original record. */
export function touchedResources(entries: readonly JournalEntry[]): TouchedResource[] {
  const touched = new Map<string, TouchedResource>();
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  for (const entry of ordered) {
    const key = `${entry.server}/${entry.name}`;
    let resource = touched.get(key);
    if (!resource) {
      resource = {
        key,
        address: entry.address,
        server: entry.server,
        type: entry.type,
        name: entry.name,
        deployment: entry.deployment,
        dependsOn: entry.dependsOn ?? [],
        createdIds: new Set(),
      };
      touched.set(key, resource);
    }
    if (entry.kind === 'begin' && entry.phase === 'apply' && entry.dependsOn)
      resource.dependsOn = entry.dependsOn;
    if (entry.kind === 'end' && entry.outcome === 'ok' && entry.operation === 'create' && entry.id)
      resource.createdIds.add(entry.id);
  }
  // The original is the first recorded `before` that is not something this apply created itself (a replace that
  // creates first records the old resource only on its later delete).
  for (const entry of ordered) {
    if (entry.kind !== 'begin' || !entry.before) continue;
    const resource = touched.get(`${entry.server}/${entry.name}`)!;
    if (resource.original || resource.createdIds.has(entry.before.id ?? '')) continue;
    resource.original = entry.before;
  }
  return [...touched.values()];
}

/** What each provider holds under the touched names: listed once per server and type. */
export async function readActual(
  gateway: ProviderGateway,
  touched: readonly TouchedResource[],
  options: CallOptions,
): Promise<Map<string, ProviderResource[]>> {
  const listings = new Map<string, Promise<ProviderResource[]>>();
  const actual = new Map<string, ProviderResource[]>();
  for (const resource of touched) {
    const listKey = `${resource.server}\u0000${resource.type}`;
    let listing = listings.get(listKey);
    if (!listing) {
      listing = gateway.list({ server: resource.server, type: resource.type }, options);
      listings.set(listKey, listing);
    }
    actual.set(
      resource.key,
      (await listing).filter((candidate) => candidate.name === resource.name),
    );
  }
  return actual;
}
