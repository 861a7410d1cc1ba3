// "Put minecraft back the way it was yesterday": the deployment as state recorded it at a time, rebuilt as a desired
// Deployment that the planner diffs against now like any other. Records hold resolved properties; where the apply's
// own document said a value came from another resource (`${opnsense:network:vlan:game-vlan.device}`), the reference
// is put back, so a resource that has to be re-created is followed by what depends on it. Nothing is applied here.
import { isDeepStrictEqual } from 'node:util';
import { compareText } from '../../model/compare-text.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Reference, ResourceReference } from '../../model/reference.js';
import { type Deployment, type Resource, resourceAddress } from '../../model/resource.js';
import type { ResourceRecord } from '../../model/resource-record.js';
import {
  mayContainReference,
  NOT_KNOWN,
  parseTemplate,
  readPath,
  renderTemplate,
} from '../../plan/template.js';
import { resourcesAt } from '../../state/history.js';
import type { StateStore } from '../../state/state-store.js';

export interface RestoreOptions {
  state: StateStore;
  deployment: string;
  at: Date;
}

export interface RestoreResult {
  /**
   * The deployment as it was at `at`, to plan against current state. Absent when there is nothing to go back to (it
   * did not exist then): restoring to nothing would be a destroy, which a restore never does.
   */
  deployment?: Deployment;
  /** The revision the deployment was at, at that time. */
  revision?: number;
  /** When that revision was recorded (ISO). */
  revisionAt?: string;
  diagnostics: Diagnostic[];
}

interface Held {
  record: ResourceRecord;
  /** The apply that last wrote the record: its document tells which values were references. */
  applyId: string;
}

export async function restoreDeployment(options: RestoreOptions): Promise<RestoreResult> {
  const { state, deployment: name, at } = options;
  const [current, revisions] = await Promise.all([state.getDeployment(name), state.readRevisions(name)]);
  const when = at.toISOString();
  if (!current && revisions.length === 0) {
    const known = (await state.listDeployments()).map((record) => record.name);
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'deployment-not-found',
          summary: `There is no deployment named ${name} to restore.`,
          detail:
            known.length > 0
              ? `Restore one of the deployments state knows: ${known.join(', ')}.`
              : 'State holds no deployments yet.',
        },
      ],
    };
  }

  const held = new Map<string, Held>();
  let revision: (typeof revisions)[number] | undefined;
  for (const entry of revisions) {
    if (Date.parse(entry.at) > at.getTime()) break;
    revision = entry;
    for (const change of entry.changes) {
      const key = `${change.server}/${change.name}`;
      if (change.record) held.set(key, { record: change.record, applyId: entry.applyId });
      else held.delete(key);
    }
  }
  if (!revision || held.size === 0) {
    const first = revisions[0];
    const reason = !revision
      ? `${name} did not exist yet at ${when}${first ? `: its first apply finished at ${first.at}` : ''}.`
      : `${name} had no resources at ${when}: it had been destroyed (revision ${revision.revision}, ${revision.at}).`;
    return {
      ...(revision ? { revision: revision.revision, revisionAt: revision.at } : {}),
      diagnostics: [
        {
          severity: 'error',
          code: 'restore-to-nothing',
          summary: reason,
          detail: `Going back to that time would mean removing ${name} entirely, which a restore does not do. To remove it, destroy it (\`conductor destroy ${name}\`, or say "destroy ${name}"); to restore it, choose a time when it existed${first ? ` (after ${first.at})` : ''}.`,
        },
      ],
    };
  }

  const records = [...held.values()].sort((a, b) => compareText(a.record.address, b.record.address));
  const rebuilder = new ReferenceRebuilder(
    state,
    records.map((entry) => entry.record),
    await resourcesAt(state, at),
  );
  await rebuilder.loadSources(records);
  await rebuilder.loadCurrent();
  const resources = records.map((entry) => rebuilder.resource(entry));
  const diagnostics: Diagnostic[] = [
    {
      severity: 'info',
      code: 'restore-revision',
      summary: `${name} as of ${when} is revision ${revision.revision} (applied ${revision.at}), with ${resources.length} resource${resources.length === 1 ? '' : 's'}.`,
      detail: describeNow(name, revision.revision, current?.revision, current?.status),
    },
    ...rebuilder.diagnostics,
  ];
  return {
    deployment: {
      name,
      description: `${name} as it was at ${when} (revision ${revision.revision})`,
      resources,
    },
    revision: revision.revision,
    revisionAt: revision.at,
    diagnostics,
  };
}

function describeNow(
  name: string,
  then: number,
  now: number | undefined,
  status: string | undefined,
): string {
  if (status === 'destroyed')
    return `${name} has been destroyed since; the plan re-creates it with the properties it had then.`;
  if (now === undefined || now === then)
    return `${name} has not been applied since then, so the plan shows only what changed outside Conductor, if anything.`;
  return `It is at revision ${now} now; the plan shows what going back changes, and re-created resources get the properties they had then.`;
}

/**
 * Turns recorded (resolved) property values back into references where the apply's document had one, or, when no
 * document was kept, where a value equals an output of a resource it depended on. A reference is put back only if it
 * renders to exactly the recorded value at that time, and only if what it names is in the restored deployment or
 * still exists: otherwise the recorded value stays as it is.
 */
class ReferenceRebuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly sources = new Map<string, Deployment | undefined>();
  /** This deployment's records at that time, by server/name. */
  private readonly restored = new Map<string, ResourceRecord>();
  /** Every deployment's records at that time, by server/name. */
  private readonly atThatTime = new Map<string, ResourceRecord>();
  /** Records of other deployments that exist now, by server/name (filled for those referenced). */
  private readonly existing = new Set<string>();

  constructor(
    private readonly state: StateStore,
    records: readonly ResourceRecord[],
    everything: readonly ResourceRecord[],
  ) {
    for (const record of everything) this.atThatTime.set(keyOf(record), record);
    for (const record of records) this.restored.set(keyOf(record), record);
  }

  async loadSources(entries: readonly Held[]): Promise<void> {
    for (const applyId of new Set(entries.map((entry) => entry.applyId))) {
      const apply = await this.state.getApply(applyId);
      this.sources.set(applyId, apply?.source);
    }
  }

  /** Which outside resources (named by references or dependsOn) still exist in state. */
  async loadCurrent(): Promise<void> {
    const keys = new Map<string, { server: string; name: string }>();
    for (const record of this.restored.values()) {
      for (const address of record.dependsOn) {
        const [server, ...rest] = address.split(':');
        const key = `${server}/${rest[rest.length - 1]}`;
        if (!this.restored.has(key)) keys.set(key, { server: server!, name: rest[rest.length - 1]! });
      }
    }
    const list = [...keys.values()];
    const found = list.length > 0 ? await this.state.findByName(list) : [];
    found.forEach((record, index) => {
      if (record) this.existing.add(`${list[index]!.server}/${list[index]!.name}`);
    });
  }

  resource(entry: Held): Resource {
    const { record } = entry;
    const document = this.sources.get(entry.applyId);
    const written = document?.resources.find(
      (resource) =>
        resource.server === record.server && resource.name === record.name && resource.type === record.type,
    );
    const properties = written
      ? (this.fromDocument(record.properties, written.properties, record) as Record<string, unknown>)
      : (this.inferred(record.properties, record, []) as Record<string, unknown>);
    const dependsOn: string[] = [];
    for (const address of record.dependsOn) {
      const key = addressKey(address);
      if (this.restored.has(key) || this.existing.has(key)) dependsOn.push(address);
      else
        this.diagnostics.push({
          severity: 'warning',
          code: 'restore-dependency-gone',
          summary: `${record.address} depended on ${address}, which no longer exists.`,
          detail: `The restored ${record.name} keeps the values it had, but nothing re-creates ${address}: it belonged to another deployment. Restore or re-deploy that one first if ${record.name} needs it.`,
          address: record.address,
        });
    }
    return {
      server: record.server,
      type: record.type,
      name: record.name,
      properties,
      dependsOn,
      ...(record.sensitive && record.sensitive.length > 0 ? { sensitive: record.sensitive } : {}),
    };
  }

  /** The recorded value, with the document's references put back where they render to it. */
  private fromDocument(recorded: unknown, written: unknown, record: ResourceRecord): unknown {
    if (
      typeof written === 'string' &&
      mayContainReference(written) &&
      this.renders(written, recorded, record)
    )
      return written;
    if (Array.isArray(recorded) && Array.isArray(written) && recorded.length === written.length)
      return recorded.map((item, index) => this.fromDocument(item, written[index], record));
    if (isPlainObject(recorded) && isPlainObject(written)) {
      const result: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(recorded))
        result[key] = this.fromDocument(value, written[key], record);
      return result;
    }
    return escapeLiterals(recorded);
  }

  /** Whether `text` is made of resource references that, at that time, render to `recorded`. */
  private renders(text: string, recorded: unknown, record: ResourceRecord): boolean {
    const parsed = parseTemplate(text);
    if (!parsed.ok) return false;
    let usable = true;
    const value = renderTemplate(parsed.template, (reference: Reference) => {
      if (reference.kind !== 'resource') {
        // Variables are kept resolved: a restore needs no variables of its own.
        usable = false;
        return NOT_KNOWN;
      }
      const found = this.lookup(reference, record);
      if (found === undefined) {
        usable = false;
        return NOT_KNOWN;
      }
      return found;
    });
    return usable && isDeepStrictEqual(value, recorded);
  }

  /** A referenced value as it was then, from a target the plan can resolve now. */
  private lookup(reference: ResourceReference, record: ResourceRecord): unknown {
    const key = `${reference.server}/${reference.name}`;
    const inside = this.restored.get(key);
    const target = inside ?? this.atThatTime.get(key);
    if (!target || (!inside && !this.existing.has(key))) return undefined;
    if (!inside && !record.dependsOn.includes(target.address)) return undefined;
    const [first] = reference.output;
    // The planner reads a desired target's properties before its outputs, and an outside one's outputs first.
    const primary = inside ? target.properties : target.outputs;
    const secondary = inside ? target.outputs : target.properties;
    const value =
      typeof first === 'string' && first in primary
        ? readPath(primary, reference.output)
        : readPath(secondary, reference.output);
    return value === undefined ? undefined : value;
  }

  /** No document was kept: a string equal to an output of a dependency that the user did not write is a reference. */
  private inferred(value: unknown, record: ResourceRecord, path: string[]): unknown {
    if (typeof value === 'string') return this.inferReference(value, record, path) ?? escapeLiterals(value);
    if (Array.isArray(value))
      return value.map((item, index) => this.inferred(item, record, [...path, String(index)]));
    if (isPlainObject(value)) {
      const result: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value))
        result[key] = this.inferred(inner, record, [...path, key]);
      return result;
    }
    return value;
  }

  private inferReference(value: string, record: ResourceRecord, path: string[]): string | undefined {
    if (value === '' || mayContainReference(value)) return undefined;
    const property = path[path.length - 1];
    for (const address of record.dependsOn) {
      const key = addressKey(address);
      const target =
        this.restored.get(key) ?? (this.existing.has(key) ? this.atThatTime.get(key) : undefined);
      if (!target) continue;
      // A value the user gave the target is not something the provider produced: it proves nothing.
      if (leafStrings(target.properties).has(value)) continue;
      const keys = Object.entries(target.outputs)
        .filter(([, output]) => output === value)
        .map(([output]) => output)
        .sort((a, b) => rank(a, property) - rank(b, property) || compareText(a, b));
      if (keys.length > 0) return `\${${resourceAddress(target)}.${keys[0]}}`;
    }
    return undefined;
  }
}

/** A recorded value is literal text: a `${` in it must not read as a reference when the deployment is planned. */
function escapeLiterals(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeLiterals);
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, escapeLiterals(inner)]));
  return value;
}

function rank(output: string, property: string | undefined): number {
  if (output === property) return 0;
  if (output === 'id') return 1;
  return 2;
}

function leafStrings(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) leafStrings(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) leafStrings(item, into);
  return into;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(record: Pick<ResourceRecord, 'server' | 'name'>): string {
  return `${record.server}/${record.name}`;
}

/** `server:type:name` (type optional) → `server/name`. */
function addressKey(address: string): string {
  const parts = address.split(':');
  return `${parts[0]}/${parts[parts.length - 1]}`;
}
