// The network checks of troubleshooting, on state records (what was meant) and live reads (what is): published
// container ports against their port forwards and pass rules, and DNS records against the address they should name.
import type { ProviderResource } from '../../execute/provider-gateway.js';
import type { ResourceRecord } from '../../model/resource-record.js';
import {
  addressFieldCovers,
  containerAddress,
  dnsEntryOf,
  filterRuleOf,
  ownAddresses,
  type PublishedPort,
  portCovers,
  portForwardOf,
  publishedPorts,
  type ResourceShape,
} from './network-facts.js';
import type { Finding } from './troubleshoot-report.js';

export type LiveRead =
  | { kind: 'present'; resource: ProviderResource }
  | { kind: 'missing' }
  | { kind: 'unknown'; reason: string };

export interface CheckContext {
  deployment: string;
  records: readonly ResourceRecord[];
  live: ReadonlyMap<string, LiveRead>;
  symptom?: string;
  params?: Record<string, unknown>;
  /** Top-level properties a specific check already reported, by address: the drift check leaves them out. */
  explained: Map<string, Set<string>>;
  /** Addresses whose existence a specific check already reported. */
  covered: Set<string>;
}

const MACHINE_TYPES = new Set(['container', 'vm', 'lxc', 'ec2:instance']);

/** Words that say the trouble is reaching it from outside the network. */
const FROM_OUTSIDE =
  /\b(outside|internet|friends?|remote(ly)?|public|external(ly)?|from (work|school|away|abroad)|over the web|wan)\b/i;

const KIND_NAMES: Record<string, string> = {
  'network:vlan': 'VLAN',
  'dhcp:range': 'DHCP range',
  'dhcp:static': 'DHCP static mapping',
  'firewall:nat': 'port forward',
  'firewall:rule': 'firewall rule',
  'firewall:alias': 'firewall alias',
  network: 'Docker network',
  container: 'container',
  volume: 'volume',
  record: 'DNS record',
  'dns:host-override': 'DNS override',
  vm: 'VM',
  lxc: 'LXC container',
  'ec2:instance': 'EC2 instance',
};

export function kindName(type: string): string {
  return KIND_NAMES[type] ?? type.replaceAll(':', ' ');
}

/** The fix every "put it back" problem shares: refresh state from the servers, then apply the deployment again. */
export function reapplyFix(deployment: string, effect: string): string {
  return `Re-apply ${deployment}: \`conductor refresh --deployment ${deployment}\` records what the servers hold, then applying ${deployment} again ${effect}.`;
}

/**
 * What re-applying does when a machine and what points at it disagree: a machine given a fixed address in the
 * deployment is put back there; one whose address the server chose is followed by what points at it.
 */
function realign(machine: ResourceRecord, address: string, follow: string): string {
  const fixed = typeof machine.properties.ipAddress === 'string' ? machine.properties.ipAddress : undefined;
  if (fixed !== undefined && fixed.split('/')[0] !== address)
    return `puts ${kindName(machine.type)} ${machine.name} back at its fixed address ${fixed.split('/')[0]}, where the rest points`;
  return follow;
}

function liveShape(record: ResourceRecord, resource: ProviderResource): ResourceShape {
  return {
    server: record.server,
    type: record.type,
    name: record.name,
    properties: resource.properties,
    outputs: resource.outputs,
  };
}

function explain(context: CheckContext, address: string, ...properties: string[]): void {
  const set = context.explained.get(address) ?? new Set<string>();
  for (const property of properties) set.add(property);
  context.explained.set(address, set);
}

/** Where a machine is now (from the server), or where state last saw it when the server cannot say. */
function currentAddressOf(context: CheckContext, machine: ResourceRecord): string | undefined {
  const read = context.live.get(machine.address);
  if (read?.kind === 'present') {
    const shape = liveShape(machine, read.resource);
    return machine.type === 'container' ? containerAddress(shape) : ownAddresses(shape)[0];
  }
  return machine.type === 'container' ? containerAddress(machine) : ownAddresses(machine)[0];
}

export function checkPublishedPorts(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const forwards = context.records.filter((record) => record.type === 'firewall:nat');
  const rules = context.records.filter((record) => record.type === 'firewall:rule');
  for (const container of context.records) {
    if (container.type !== 'container') continue;
    const recordedAddress = containerAddress(container);
    const address = currentAddressOf(context, container) ?? recordedAddress;
    for (const port of publishedPorts(container)) {
      const serving = forwards.filter((nat) => forwardServes(nat, container, recordedAddress, port));
      if (serving.length === 0) {
        findings.push(notForwarded(context, container, address, port));
        continue;
      }
      for (const nat of serving) {
        context.covered.add(nat.address);
        const natFindings = checkForward(context, nat, container, address, recordedAddress, port);
        findings.push(...natFindings.findings);
        // The rules are checked even when the forward is gone: both may need putting back.
        const allowing = rules.filter((rule) => ruleServes(rule, nat, recordedAddress, port));
        findings.push(...checkRules(context, nat, natFindings.forward, allowing, container, address, port));
      }
    }
  }
  return findings;
}

function forwardServes(
  nat: ResourceRecord,
  container: ResourceRecord,
  recordedAddress: string | undefined,
  port: PublishedPort,
): boolean {
  const forward = portForwardOf(nat);
  const aimed = forward.target === recordedAddress || nat.dependsOn.includes(container.address);
  return (
    aimed &&
    (portCovers(forward.targetPort, port.containerPort) || portCovers(forward.externalPort, port.port))
  );
}

function ruleServes(
  rule: ResourceRecord,
  nat: ResourceRecord,
  recordedAddress: string | undefined,
  port: PublishedPort,
): boolean {
  const filter = filterRuleOf(rule);
  const forward = portForwardOf(nat);
  if (filter.action !== 'pass' || filter.interface !== forward.interface) return false;
  if (rule.dependsOn.includes(nat.address)) return true;
  return (
    recordedAddress !== undefined &&
    addressFieldCovers(filter.destination, recordedAddress) &&
    (filter.destinationPort === undefined || portCovers(filter.destinationPort, port.containerPort))
  );
}

function notForwarded(
  context: CheckContext,
  container: ResourceRecord,
  address: string | undefined,
  port: PublishedPort,
): Finding {
  const where = `${port.port}/${port.protocol} of container ${container.name}${address ? ` (${address})` : ''}`;
  if (context.symptom && FROM_OUTSIDE.test(context.symptom))
    return {
      check: 'port-forward',
      status: 'problem',
      address: container.address,
      summary: `Nothing forwards ${where} from the internet: it is reachable from the local network only.`,
      fix: `Make ${context.deployment} public: a port forward on wan for ${port.protocol} ${port.port} to ${address ?? 'the container'}:${port.containerPort}, and a pass rule for it (for a pattern deployment, ask to make it public).`,
    };
  return {
    check: 'port-forward',
    status: 'ok',
    address: container.address,
    summary: `${where} is not forwarded from the internet (local network only${context.params?.public === false ? ', as the deployment asks' : ''}).`,
  };
}

function checkForward(
  context: CheckContext,
  nat: ResourceRecord,
  container: ResourceRecord,
  address: string | undefined,
  recordedAddress: string | undefined,
  port: PublishedPort,
): { findings: Finding[]; forward: ReturnType<typeof portForwardOf> } {
  const recorded = portForwardOf(nat);
  const described = `${recorded.externalAddress ?? recorded.interface}:${recorded.externalPort}/${recorded.protocol} → ${recorded.target}:${recorded.targetPort}`;
  const read = context.live.get(nat.address)!;
  const base = { check: 'port-forward' as const, address: nat.address };
  if (read.kind === 'unknown')
    return {
      findings: [{ ...base, status: 'unknown', summary: `Port forward ${nat.name}: ${read.reason}.` }],
      forward: recorded,
    };
  if (read.kind === 'missing')
    return {
      forward: recorded,
      findings: [
        {
          ...base,
          status: 'problem',
          summary: `The port forward ${nat.name} for ${port.port}/${port.protocol} is gone from ${nat.server}: nothing forwards it to ${container.name} any more.`,
          fix: reapplyFix(context.deployment, `re-creates the port forward ${nat.name} (${described})`),
          reapply: true,
        },
      ],
    };
  const forward = portForwardOf(liveShape(nat, read.resource));
  const findings: Finding[] = [];
  if (!forward.enabled) {
    explain(context, nat.address, 'enabled', 'disabled');
    findings.push({
      ...base,
      status: 'problem',
      summary: `The port forward ${nat.name} (${described}) is disabled.`,
      fix: reapplyFix(context.deployment, `enables the port forward ${nat.name} again`),
      reapply: true,
    });
  }
  // Only a forward that was aimed at the container's own address should follow it.
  const direct = recorded.target === recordedAddress;
  if (direct && address !== undefined && forward.target !== address) {
    explain(context, nat.address, 'target');
    findings.push({
      ...base,
      status: 'problem',
      summary: `The port forward ${nat.name} sends ${port.port}/${port.protocol} to ${forward.target}, but container ${container.name} is at ${address}.`,
      fix: reapplyFix(
        context.deployment,
        realign(container, address, `updates the port forward's target from ${forward.target} to ${address}`),
      ),
      reapply: true,
    });
  }
  if (direct && !portCovers(forward.targetPort, port.containerPort)) {
    explain(context, nat.address, 'targetPort');
    findings.push({
      ...base,
      status: 'problem',
      summary: `The port forward ${nat.name} sends traffic to port ${forward.targetPort}, but container ${container.name} listens on ${port.containerPort}.`,
      fix: reapplyFix(context.deployment, `sets its targetPort back to ${recorded.targetPort}`),
      reapply: true,
    });
  }
  if (findings.length === 0)
    findings.push({
      ...base,
      status: 'ok',
      summary: `Port forward ${nat.name}: ${forward.externalAddress ?? forward.interface}:${forward.externalPort}/${forward.protocol} → ${forward.target}:${forward.targetPort}, enabled.`,
    });
  return { findings, forward };
}

function checkRules(
  context: CheckContext,
  nat: ResourceRecord,
  forward: ReturnType<typeof portForwardOf>,
  rules: readonly ResourceRecord[],
  container: ResourceRecord,
  address: string | undefined,
  port: PublishedPort,
): Finding[] {
  const findings: Finding[] = [];
  if (rules.length === 0) {
    if (forward.filterRule === 'none')
      findings.push({
        check: 'firewall-rule',
        status: 'problem',
        address: nat.address,
        summary: `No pass rule lets the traffic of port forward ${nat.name} in (its filterRule is "none"), so the firewall drops it.`,
        fix: `Add a pass rule on ${forward.interface} for ${port.protocol} ${port.containerPort} to ${address ?? 'the container'} (a firewall:rule in ${context.deployment}), or set the forward's filterRule to "add", then apply ${context.deployment}.`,
      });
    else
      findings.push({
        check: 'firewall-rule',
        status: 'ok',
        address: nat.address,
        summary: `The port forward ${nat.name} brings its own filter rule (filterRule ${forward.filterRule}).`,
      });
    return findings;
  }
  for (const rule of rules) {
    context.covered.add(rule.address);
    const read = context.live.get(rule.address)!;
    const base = { check: 'firewall-rule' as const, address: rule.address };
    if (read.kind === 'unknown') {
      findings.push({ ...base, status: 'unknown', summary: `Firewall rule ${rule.name}: ${read.reason}.` });
      continue;
    }
    if (read.kind === 'missing') {
      findings.push({
        ...base,
        status: 'problem',
        summary: `The pass rule ${rule.name} for ${port.port}/${port.protocol} is gone from ${rule.server}: the firewall drops what ${nat.name} forwards.`,
        fix: reapplyFix(context.deployment, `re-creates the firewall rule ${rule.name}`),
        reapply: true,
      });
      continue;
    }
    const filter = filterRuleOf(liveShape(rule, read.resource));
    const before = findings.length;
    if (!filter.enabled) {
      explain(context, rule.address, 'enabled', 'disabled');
      findings.push({
        ...base,
        status: 'problem',
        summary: `The pass rule ${rule.name} is disabled, so the firewall drops what ${nat.name} forwards to ${container.name}.`,
        fix: reapplyFix(context.deployment, `enables the rule ${rule.name} again (enabled: true)`),
        reapply: true,
      });
    }
    if (filter.action !== 'pass') {
      explain(context, rule.address, 'action');
      findings.push({
        ...base,
        status: 'problem',
        summary: `The rule ${rule.name} now says ${filter.action}, so it stops the forwarded traffic instead of letting it in.`,
        fix: reapplyFix(context.deployment, `sets its action back to pass`),
        reapply: true,
      });
    }
    if (address !== undefined && !addressFieldCovers(filter.destination, address)) {
      explain(context, rule.address, 'destination');
      findings.push({
        ...base,
        status: 'problem',
        summary: `The pass rule ${rule.name} lets traffic in to ${filter.destination}, but container ${container.name} is at ${address}.`,
        fix: reapplyFix(
          context.deployment,
          realign(container, address, `updates the rule's destination to ${address}`),
        ),
        reapply: true,
      });
    }
    if (filter.destinationPort !== undefined && !portCovers(filter.destinationPort, port.containerPort)) {
      explain(context, rule.address, 'destinationPort', 'port');
      findings.push({
        ...base,
        status: 'problem',
        summary: `The pass rule ${rule.name} allows port ${filter.destinationPort}, but the forwarded traffic goes to ${port.containerPort}.`,
        fix: reapplyFix(context.deployment, `sets the rule's port back`),
        reapply: true,
      });
    }
    if (findings.length === before)
      findings.push({
        ...base,
        status: 'ok',
        summary: `Pass rule ${rule.name}: ${filter.protocol} from ${filter.source} to ${filter.destination}${filter.destinationPort ? `:${filter.destinationPort}` : ''} on ${filter.interface}, enabled.`,
      });
  }
  return findings;
}

export function checkDns(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const machines = context.records.filter((record) => MACHINE_TYPES.has(record.type));
  for (const record of context.records) {
    const entry = dnsEntryOf(record);
    if (!entry) continue;
    context.covered.add(record.address);
    const machine =
      machines.find((candidate) => record.dependsOn.includes(candidate.address)) ??
      machines.find((candidate) => ownAddresses(candidate).some((address) => entry.values.includes(address)));
    const read = context.live.get(record.address)!;
    const base = { check: 'dns' as const, address: record.address };
    if (read.kind === 'unknown') {
      findings.push({
        ...base,
        status: 'unknown',
        summary: `DNS record ${record.name} (${entry.fqdn}): ${read.reason}.`,
      });
      continue;
    }
    if (read.kind === 'missing') {
      findings.push({
        ...base,
        status: 'problem',
        summary: `The DNS record ${record.name} is gone from ${record.server}: ${entry.fqdn} no longer resolves.`,
        fix: reapplyFix(
          context.deployment,
          `re-creates ${entry.fqdn} ${entry.recordType} ${entry.values.join(', ')}`,
        ),
        reapply: true,
      });
      continue;
    }
    const now = dnsEntryOf(liveShape(record, read.resource)) ?? entry;
    const address = machine ? currentAddressOf(context, machine) : undefined;
    if (!machine || address === undefined) {
      findings.push({
        ...base,
        status: 'ok',
        summary: `${now.fqdn} ${now.recordType} ${now.values.join(', ')} exists.`,
      });
      continue;
    }
    if (now.values.includes(address)) {
      findings.push({
        ...base,
        status: 'ok',
        summary: `${now.fqdn} points at ${address} (${kindName(machine.type)} ${machine.name}).`,
      });
      continue;
    }
    explain(context, record.address, 'value', 'values', 'address');
    findings.push({
      ...base,
      status: 'problem',
      summary: `${now.fqdn} points at ${now.values.join(', ') || 'nothing'}, but ${kindName(machine.type)} ${machine.name} is at ${address}.`,
      fix: reapplyFix(context.deployment, realign(machine, address, `updates the record to ${address}`)),
      reapply: true,
    });
  }
  return findings;
}
