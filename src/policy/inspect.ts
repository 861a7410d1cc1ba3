// Helpers for policies that read planned properties, with three-valued answers so values that are only known after
// apply are reported as unverifiable instead of passing silently.
import type { Plan, Step } from '../model/plan.js';
import { containsUnknown, unknownValue } from '../model/unknown.js';

/** `'unknown'`: the answer depends on a value that is only known after apply. */
export type Truth = boolean | 'unknown';

/** False if any is false; otherwise unknown if any is unknown; otherwise true. */
export function allOf(...values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes('unknown') ? 'unknown' : true;
}

/** True if any is true; otherwise unknown if any is unknown; otherwise false. */
export function anyOf(...values: Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}

interface ChangingSteps {
  all: Step[];
  byType: Map<string, Step[]>;
}

// Every policy asks for the changing steps of a few types; one pass per plan answers them all.
const changingStepIndex = new WeakMap<Plan, ChangingSteps>();

/**
 * Steps that will create or change a resource, of the given types (`firewall:rule`; none means every type), on any
 * server, in plan order per type. The lists are shared between policies: do not modify them.
 */
export function changingSteps(plan: Plan, types: readonly string[]): readonly Step[] {
  let index = changingStepIndex.get(plan);
  if (!index) {
    index = { all: [], byType: new Map() };
    for (const step of plan.steps) {
      if (step.action !== 'create' && step.action !== 'update' && step.action !== 'replace') continue;
      index.all.push(step);
      const list = index.byType.get(step.type);
      if (list) list.push(step);
      else index.byType.set(step.type, [step]);
    }
    changingStepIndex.set(plan, index);
  }
  if (types.length === 0) return index.all;
  if (types.length === 1) return index.byType.get(types[0]!) ?? [];
  return types.flatMap((type) => index.byType.get(type) ?? []);
}

/** The planned value of the first of `keys` the resource sets, and which key that was. */
export function property(step: Step, ...keys: string[]): { key: string; value: unknown } {
  const properties = step.after ?? step.properties ?? {};
  for (const key of keys) {
    if (properties[key] !== undefined) return { key, value: properties[key] };
  }
  return { key: keys[0]!, value: undefined };
}

const ANY_ADDRESS = new Set(['any', '*', 'all', '0.0.0.0/0', '::/0', '0.0.0.0', '']);

/** Whether an address field means "anywhere". Missing means any, as in a firewall rule with no source. */
export function isAnyAddress(value: unknown): Truth {
  if (value === undefined || value === null) return true;
  if (containsUnknown(value)) return 'unknown';
  if (Array.isArray(value)) return value.length === 0 ? true : anyOf(...value.map(isAnyAddress));
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.any === true) return true;
    return isAnyAddress(record.address ?? record.network ?? record.net ?? record.cidr);
  }
  return ANY_ADDRESS.has(String(value).trim().toLowerCase());
}

/** Whether an action lets traffic through. OPNsense rules default to pass. */
export function isPass(value: unknown): Truth {
  if (value === undefined || value === null) return true;
  if (containsUnknown(value)) return 'unknown';
  const action = String(value).toLowerCase();
  return action === 'pass' || action === 'allow' || action === 'accept';
}

/** Whether an interface field names a WAN interface. A rule with no interface is not a WAN rule. */
export function isWan(value: unknown, wanInterfaces: readonly string[], whenMissing = false): Truth {
  if (value === undefined || value === null || value === '') return whenMissing;
  if (containsUnknown(value)) return 'unknown';
  const names = new Set(wanInterfaces.map((name) => name.toLowerCase()));
  const values = Array.isArray(value) ? value : String(value).split(',');
  return anyOf(
    ...values.map((entry) =>
      containsUnknown(entry) ? 'unknown' : names.has(String(entry).trim().toLowerCase()),
    ),
  );
}

/** Whether a protocol field can carry TCP. */
export function carriesTcp(value: unknown): Truth {
  if (value === undefined || value === null) return true;
  if (containsUnknown(value)) return 'unknown';
  const protocol = String(value).toLowerCase();
  return ['any', 'all', '-1', 'tcp', 'tcp/udp', 'tcp-udp', 'tcpudp', '*'].includes(protocol);
}

export interface PortMatch {
  covers: Truth;
  /** The wanted ports the value includes. */
  ports: number[];
  /** True when the value means every port (missing or "any"). */
  allPorts: boolean;
  /** Entries that are names (firewall aliases such as "ssh_ports"), which cannot be expanded at plan time. */
  names: string[];
}

/**
 * Whether a port field includes any of `wanted`. Accepts 22, "22", "20-30", "20:30", "22,80", lists of those, and
 * missing or "any" (every port). A name (a firewall alias) cannot be expanded here, so it is unknown.
 */
export function coversPorts(value: unknown, wanted: readonly number[]): PortMatch {
  if (value === undefined || value === null || value === '')
    return { covers: true, ports: [...wanted], allPorts: true, names: [] };
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    // A single port: the usual case, answered without splitting.
    const port = Number(value);
    return {
      covers: wanted.includes(port),
      ports: wanted.includes(port) ? [port] : [],
      allPorts: false,
      names: [],
    };
  }
  if (containsUnknown(value)) return { covers: 'unknown', ports: [], allPorts: false, names: [] };
  const entries = Array.isArray(value)
    ? value
    : typeof value === 'number'
      ? [value]
      : String(value).split(',');
  const found = new Set<number>();
  const names: string[] = [];
  let unknown = false;
  let allPorts = false;
  for (const entry of entries) {
    if (containsUnknown(entry)) {
      unknown = true;
      continue;
    }
    const text = String(entry).trim().toLowerCase();
    if (text === 'any' || text === '*' || text === '0-65535' || text === '1-65535') {
      allPorts = true;
      for (const port of wanted) found.add(port);
      continue;
    }
    const range = /^(\d+)\s*[-:]\s*(\d+)$/.exec(text);
    if (range) {
      const low = Number(range[1]);
      const high = Number(range[2]);
      for (const port of wanted) if (port >= low && port <= high) found.add(port);
      continue;
    }
    if (/^\d+$/.test(text)) {
      if (wanted.includes(Number(text))) found.add(Number(text));
      continue;
    }
    names.push(String(entry).trim());
  }
  const ports = [...found].sort((a, b) => a - b);
  const undecided = unknown || names.length > 0;
  return { covers: ports.length > 0 ? true : undecided ? 'unknown' : false, ports, allPorts, names };
}

/** Port ranges as AWS writes them: fromPort/toPort, or a single port. */
export function portRange(rule: Record<string, unknown>): unknown {
  const protocol = rule.protocol ?? rule.ipProtocol;
  // Protocol -1 means all traffic: AWS ignores the port numbers then (Terraform writes 0/0).
  if (protocol === '-1' || protocol === -1 || protocol === 'all') return 'any';
  const from = rule.fromPort ?? rule.from_port;
  const to = rule.toPort ?? rule.to_port;
  if (from !== undefined || to !== undefined) {
    if (containsUnknown(from) || containsUnknown(to)) return unknownValue(`${String(from)}-${String(to)}`);
    if (Number(from) === -1 || (Number(from) === 0 && (to === undefined || Number(to) === 65535)))
      return 'any';
    return `${from ?? to}-${to ?? from}`;
  }
  return rule.port ?? rule.ports;
}
