// What the planner may know about a resource type. Providers supply it (from their schemas); the planner only asks.

export interface TypeInfo {
  /** Top-level properties whose change forces delete + create instead of an in-place update. */
  replaceOn?: readonly string[];
  /** Properties that always hold secrets for this type (passwords, private keys). */
  sensitive?: readonly string[];
  /** Replacement creates the new resource before deleting the old one unless this is false. */
  createBeforeDestroy?: boolean;
  /**
   * Properties whose value names another resource on the same server (an HAProxy frontend's `defaultBackend`): each
   * is a dependency edge, as if written in dependsOn.
   */
  references?: ReadonlyArray<{
    property: string;
    type: string;
    by?: 'name' | 'id';
    /** Values that are built into the server, not resources: no edge, no warning. */
    builtins?: readonly string[];
  }>;
  /** JSON Schema of the properties: plan-time validation. */
  schema?: Record<string, unknown>;
  /**
   * What the provider can do with the type (absent: everything). A missing delete means destroy and rollback leave
   * the resource where it is; `missing` says why, in a sentence.
   */
  operations?: {
    create: boolean;
    update: boolean;
    delete: boolean;
    missing?: Partial<Record<'create' | 'read' | 'update' | 'delete' | 'list', string>>;
  };
}

export interface TypeCatalog {
  describe(server: string, type: string): TypeInfo | undefined;
}

export const emptyTypeCatalog: TypeCatalog = { describe: () => undefined };

/**
 * Short names people write in references, mapped to the type (or the contiguous part of a type) they mean.
 * `${aws:asg:web.instanceIps}` names an `autoscaling:group`; `cert` fits `acm:certificate` and `certificate`.
 */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  asg: 'autoscaling:group',
  sg: 'ec2:securityGroup',
  lt: 'ec2:launchTemplate',
  tg: 'elb:targetGroup',
  alb: 'elb:loadBalancer',
  lb: 'elb:loadBalancer',
  cert: 'certificate',
  fw: 'firewall',
  nat: 'firewall:nat',
  wg: 'wireguard',
};

/**
 * True when a type hint fits a type: it equals it, names a contiguous run of its segments
 * (`ec2` or `haproxy:backend` for `service:haproxy:backend`), or is an alias that does.
 * Comparison ignores case, so `launchtemplate` fits `ec2:launchTemplate`.
 */
export function typeHintFits(
  hint: string,
  type: string,
  aliases: Readonly<Record<string, string>> = TYPE_ALIASES,
): boolean {
  if (containsRun(type, hint)) return true;
  const expanded = aliases[hint.toLowerCase()];
  return expanded !== undefined && containsRun(type, expanded);
}

function containsRun(type: string, hint: string): boolean {
  if (type === hint || hasSegmentRun(type, hint)) return true;
  const lowerType = type.toLowerCase();
  const lowerHint = hint.toLowerCase();
  return (lowerType !== type || lowerHint !== hint) && hasSegmentRun(lowerType, lowerHint);
}

/** Whether `hint` occurs in `type` bounded by colons or the ends: segments hold no colons. Allocates nothing. */
function hasSegmentRun(type: string, hint: string): boolean {
  if (hint === '') return false;
  for (let at = type.indexOf(hint); at !== -1; at = type.indexOf(hint, at + 1)) {
    const end = at + hint.length;
    if (
      (at === 0 || type.charCodeAt(at - 1) === 58) &&
      (end === type.length || type.charCodeAt(end) === 58)
    ) {
      return true;
    }
  }
  return false;
}
