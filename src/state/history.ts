// "What did it look like at time T": replays each deployment's revisions up to T. Revisions hold net changes per
// apply, so the answer needs no snapshot of the whole state.
import { compareText } from '../model/compare-text.js';
import type { ResourceRecord } from '../model/resource-record.js';
import type { StateStore } from './state-store.js';

export async function resourcesAt(
  store: StateStore,
  at: Date,
  deployment?: string,
): Promise<ResourceRecord[]> {
  const names = deployment ? [deployment] : (await store.listDeployments()).map((record) => record.name);
  const result: ResourceRecord[] = [];
  for (const name of names) {
    const current = new Map<string, ResourceRecord>();
    for (const revision of await store.readRevisions(name)) {
      if (Date.parse(revision.at) > at.getTime()) break;
      for (const change of revision.changes) {
        const key = `${change.server}/${change.name}`;
        if (change.record) current.set(key, change.record);
        else current.delete(key);
      }
    }
    result.push(...current.values());
  }
  return result.sort((a, b) => compareText(a.address, b.address));
}
