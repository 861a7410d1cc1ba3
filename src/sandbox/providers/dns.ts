// A simulated authoritative DNS provider (in the manner of Cloudflare): records in zones derived from their names.
// It enforces the rules DNS itself has: values of the right kind per type, a CNAME alone at its name, no duplicates.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { SandboxError } from '../sandbox-error.js';
import { isHostname } from '../schema-parts.js';
import { defineType, propertiesOf, type SandboxProvider } from '../type-spec.js';

const RECORD = 'record';
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV', 'NS', 'CAA'] as const;

const recordSchema = z.strictObject({
  name: z.string().describe('Fully qualified name, e.g. minecraft.home.arpa'),
  type: z.enum(RECORD_TYPES),
  value: z.string().optional().describe('One value: an address, a host name or text'),
  values: z.array(z.string()).min(1).optional().describe('Several values (a round-robin set)'),
  ttl: z.int().optional().describe('Seconds, 60-86400, or 1 for automatic (default 300)'),
  priority: z.int().min(0).max(65535).optional().describe('MX and SRV'),
  proxied: z.boolean().optional().describe('A, AAAA and CNAME only'),
  zone: z.string().optional().describe('Default: the last two labels of name'),
  comment: z.string().max(100).optional(),
});
type RecordProperties = z.infer<typeof recordSchema>;

function recordValues(properties: RecordProperties): string[] {
  return [...(properties.value !== undefined ? [properties.value] : []), ...(properties.values ?? [])];
}

function valueProblem(type: RecordProperties['type'], value: string): string | undefined {
  switch (type) {
    case 'A':
      return isIPv4(value) ? undefined : 'an IPv4 address';
    case 'AAAA':
      return isIPv6(value) ? undefined : 'an IPv6 address';
    case 'CNAME':
    case 'NS':
    case 'MX':
      return isHostname(value) && !value.startsWith('*') ? undefined : 'a host name';
    case 'TXT':
      return value.length <= 2048 ? undefined : 'text of at most 2048 characters';
    case 'SRV':
      return /^\d+ \d+ \S+$/.test(value) ? undefined : '"weight port target", e.g. "5 25565 mc.example.com"';
    case 'CAA':
      return /^\d+ (issue|issuewild|iodef) "[^"]*"$/.test(value)
        ? undefined
        : '"flags tag value", e.g. 0 issue "letsencrypt.org"';
  }
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

const record = defineType<RecordProperties>({
  type: RECORD,
  description:
    'A DNS record. A CNAME must be the only record at its name; identical records are refused; values must suit the type.',
  schema: recordSchema,
  outputs: ['fqdn', 'zone', 'type', 'values', 'ttl'],
  newId: (context) => context.randomHex(32),
  realize({ name, properties }, context) {
    const owner = `record "${name}"`;
    const fqdn = normalizeName(properties.name);
    if (!isHostname(fqdn) || !fqdn.includes('.')) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: name "${properties.name}" is not a fully qualified domain name.`,
      );
    }
    const values = recordValues(properties);
    if (values.length === 0)
      throw new SandboxError('invalid-properties', `${owner}: give value (or values).`);
    for (const value of values) {
      const expected = valueProblem(properties.type, value);
      if (expected) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: a ${properties.type} record's value must be ${expected}; got "${value}".`,
        );
      }
    }
    if (properties.type === 'CNAME' && values.length > 1) {
      throw new SandboxError('invalid-properties', `${owner}: a CNAME has exactly one value.`);
    }
    const ttl = properties.ttl ?? 300;
    if (ttl !== 1 && (ttl < 60 || ttl > 86400)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ttl ${ttl} must be 60-86400 seconds, or 1 for automatic.`,
      );
    }
    if ((properties.type === 'MX' || properties.type === 'SRV') && properties.priority === undefined) {
      throw new SandboxError('invalid-properties', `${owner}: an ${properties.type} record needs priority.`);
    }
    if (properties.proxied && !['A', 'AAAA', 'CNAME'].includes(properties.type)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: only A, AAAA and CNAME records can be proxied.`,
      );
    }
    const zone = normalizeName(properties.zone ?? fqdn.split('.').slice(-2).join('.'));
    if (fqdn !== zone && !fqdn.endsWith(`.${zone}`)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ${fqdn} is not in zone ${zone}. Fix zone or name.`,
      );
    }
    for (const other of context.all(RECORD)) {
      const otherProperties = propertiesOf<RecordProperties>(other);
      if (normalizeName(otherProperties.name) !== fqdn) continue;
      if (properties.type === 'CNAME' || otherProperties.type === 'CNAME') {
        throw new SandboxError(
          'conflict',
          `${owner}: ${fqdn} already has a ${otherProperties.type} record ("${other.name}"), and a CNAME must be the only record at its name. ` +
            'Use another name, or delete the other record.',
        );
      }
      if (otherProperties.type === properties.type) {
        const shared = recordValues(otherProperties).find((value) => values.includes(value));
        if (shared !== undefined) {
          throw new SandboxError(
            'conflict',
            `${owner}: An identical record already exists: ${fqdn} ${properties.type} ${shared} ("${other.name}"). Update that record instead.`,
          );
        }
      }
    }
    return { fqdn, zone, type: properties.type, values, ttl };
  },
});

export const dnsProvider: SandboxProvider = {
  name: 'dns',
  description: 'A simulated authoritative DNS provider: records in any zone, validated as real DNS requires.',
  types: [record],
};
