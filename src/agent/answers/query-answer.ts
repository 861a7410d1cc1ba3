// What a query returns: plain text for the person, and the same facts as rows for programs (`--json`, tests, evals).
import type { ServerInventory } from '../../providers/inventory.js';
import type { StateStore } from '../../state/state-store.js';
import { describeResource, resourceLabel } from './describe-resource.js';
import type { KnownResource, KnownWorld } from './known-resources.js';

/** Which kind of question was recognised; `unanswered` when none was and nothing matched. */
export type QueryForm =
  | 'vlan'
  | 'vlans'
  | 'deployments'
  | 'deployment'
  | 'resource'
  | 'server'
  | 'exposure'
  | 'search'
  | 'unanswered';

export type FactValue = string | number | boolean | null;

/** One row of an answer. Values are display-ready and never hold a secret. */
export interface QueryFact {
  /** What the row is about: a resource address (`docker:container:minecraft`) or a deployment name. */
  subject: string;
  deployment?: string;
  /** False for resources the servers hold and state does not know. */
  managed: boolean;
  values: Record<string, FactValue>;
}

export interface QueryAnswer {
  form: QueryForm;
  /** What the user reads: plain text, no colour codes, ends with a newline. */
  text: string;
  facts?: QueryFact[];
}

export interface QueryContext {
  state: StateStore;
  /** The live inventory of every server (e.g. `() => inventory(gateway)`); without it answers come from state only. */
  inventory?: () => Promise<ServerInventory[]>;
}

export function resourceFact(resource: KnownResource, extra: Record<string, FactValue> = {}): QueryFact {
  return {
    subject: resource.address,
    ...(resource.deployment !== undefined ? { deployment: resource.deployment } : {}),
    managed: resource.origin === 'state',
    values: {
      server: resource.server,
      type: resource.type,
      name: resource.name,
      summary: describeResource(resource),
      ...(resource.live ? { live: resource.live } : {}),
      ...extra,
    },
  };
}

/** `  docker container minecraft: 10.20.0.10, ... (the server no longer has it)` */
export function resourceLine(resource: KnownResource, indent = '  '): string {
  const facts = describeResource(resource);
  const missing = resource.live === 'missing' ? ' (state records it, but the server no longer has it)' : '';
  return `${indent}${resourceLabel(resource)}${facts ? `: ${facts}` : ''}${missing}`;
}

/** Lines for resources grouped by deployment, unmanaged ones last under their own heading. */
export function groupedLines(groups: Array<[string | undefined, KnownResource[]]>): string[] {
  const lines: string[] = [];
  for (const [deployment, resources] of groups) {
    lines.push(
      deployment === undefined
        ? 'Not managed by Conductor (the servers hold these; state does not know them):'
        : `${deployment}:`,
    );
    for (const resource of resources) lines.push(resourceLine(resource));
  }
  return lines;
}

/** The closing remarks every answer shares: where the servers could not be asked, or were not. */
export function sourceNotes(world: KnownWorld, servers?: readonly string[]): string[] {
  if (world.inventoryProblem)
    return [
      `The live inventory could not be read (${world.inventoryProblem}); this answer is from state only.`,
    ];
  if (!world.inventoryRead) return [];
  return world.unreachable
    .filter((entry) => !servers || servers.includes(entry.server))
    .map(
      (entry) =>
        `Server ${entry.server} could not be reached (${entry.reason}); its part is from state only.`,
    );
}

export function finish(lines: readonly string[]): string {
  return `${lines.join('\n').trimEnd()}\n`;
}
