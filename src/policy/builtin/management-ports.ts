// Management and database services must not be reachable from the whole internet.
import { definePolicy, type PolicyFinding } from '../policy.js';
import { findExposures } from './network-exposure.js';

/** Port → what usually listens there, for messages a person understands. */
export const MANAGEMENT_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5900: 'VNC',
  6379: 'Redis',
  8006: 'Proxmox web UI',
  9200: 'Elasticsearch',
  11211: 'memcached',
  27017: 'MongoDB',
};

export const noManagementPortsFromWan = definePolicy({
  id: 'no-management-ports-from-wan',
  description:
    'Management and database ports (SSH, RDP, Docker API, PostgreSQL, MySQL, Redis, MongoDB, Proxmox, ...) must not be reachable from any source on a WAN interface.',
  severity: 'critical',
  enforcement: 'mandatory',
  options: { ports: Object.keys(MANAGEMENT_PORTS).map(Number), wanInterfaces: ['wan'] },
  evaluate(plan, { options }) {
    const ports = (options.ports as number[]).map(Number);
    const wanInterfaces = (options.wanInterfaces as string[]).map(String);
    const findings: PolicyFinding[] = [];
    for (const exposure of findExposures(plan, { ports, wanInterfaces })) {
      if (exposure.exposed === false) continue;
      const { step } = exposure;
      if (exposure.exposed === 'unknown') {
        findings.push({
          address: step.address,
          path: exposure.path,
          code: 'management-port-exposed',
          unverifiable: true,
          summary: `Whether this ${exposure.kind} exposes management ports to the internet cannot be checked ${exposure.afterApply ? 'until apply' : 'at plan time'}.`,
          detail: `${step.address}: ${exposure.undecided.join('; ')}.`,
          remediation: exposure.afterApply
            ? 'Conductor checks again at apply time; give literal ports, sources and interfaces to have it checked now.'
            : 'Write the ports as numbers or ranges instead of an alias to have them checked.',
        });
        continue;
      }
      const services = exposure.allPorts
        ? 'every port, including management ports'
        : exposure.ports.map((port) => `${MANAGEMENT_PORTS[port] ?? 'port'} (${port})`).join(', ');
      findings.push({
        address: step.address,
        path: exposure.path,
        code: 'management-port-exposed',
        summary: `${capitalize(exposure.kind)} exposes ${services} to any source on the internet.`,
        detail: `${step.address} lets anyone on the internet reach ${services}. These services are the first thing scanners try.`,
        remediation:
          'Reach them over a VPN (the vpn-access pattern sets up WireGuard), or restrict the source to the addresses that need access.',
      });
    }
    return findings;
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
