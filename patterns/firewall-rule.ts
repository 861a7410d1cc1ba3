// One firewall rule on OPNsense, checked by the same policies as every other change.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { slug } from './parts/names.js';

export default definePattern({
  name: 'firewall-rule',
  description:
    'A single firewall rule on OPNsense: pass, block or reject traffic for a port and protocol between a source and a destination on an interface.',
  examples: [
    'open port 443 to 10.0.0.5',
    'block udp 53 from the iot network to anywhere',
    'allow tcp 8080 from 192.168.1.0/24 to 10.0.0.10 on lan',
  ],
  keywords: ['firewall', 'rule', 'open port', 'block', 'allow', 'reject', 'port'],
  params: z.object({
    action: z
      .enum(['pass', 'block', 'reject'])
      .default('pass')
      .describe('What the rule does with matching traffic.'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('Destination port; any port when not given.'),
    protocol: z.enum(['tcp', 'udp', 'any']).default('tcp').describe('Protocol.'),
    source: z.string().default('any').describe('Source address, CIDR or alias.'),
    destination: z.string().default('any').describe('Destination address, CIDR or alias.'),
    interface: z.string().default('wan').describe('Interface the rule is on.'),
    description: z.string().optional().describe('What the rule is for.'),
  }),
  hints: {
    action: {
      synonyms: {
        pass: ['allow', 'open', 'permit', 'accept', 'let through'],
        block: ['block', 'deny', 'drop', 'close'],
        reject: ['reject', 'refuse'],
      },
    },
    port: { words: ['port'], format: 'port' },
    protocol: {
      synonyms: {
        tcp: ['tcp'],
        udp: ['udp'],
        any: ['any protocol', 'all protocols', 'all traffic', 'any traffic', 'tcp and udp'],
      },
    },
    source: { words: ['from'], format: 'cidr' },
    destination: { words: ['to'], format: 'cidr' },
    interface: { words: ['on', 'interface'], format: 'name' },
    description: { words: ['for', 'description'], format: 'text' },
  },
  generate: (params) => generateFirewallRule(params),
});

interface FirewallRuleParams {
  action: 'pass' | 'block' | 'reject';
  port?: number;
  protocol: 'tcp' | 'udp' | 'any';
  source: string;
  destination: string;
  interface: string;
  description?: string;
}

/**
 * Exactly the rule asked for, even one the policies will refuse (that is their job, not the pattern's). A port with
 * protocol "any" becomes tcp/udp, since ports only exist for those. The name says what the rule does, so the same rule
 * asked for twice is the same deployment, and a different one is another.
 */
function generateFirewallRule(params: FirewallRuleParams): PatternDeployment {
  const interfaceName = params.interface.trim().toLowerCase();
  const protocol = params.port !== undefined && params.protocol === 'any' ? 'tcp/udp' : params.protocol;
  const name = [
    'rule',
    params.action,
    slug(protocol, 'any'),
    params.port ?? 'any',
    slug(interfaceName, 'wan'),
    ...(isAny(params.source) ? [] : ['from', slug(params.source, 'source')]),
    ...(isAny(params.destination) ? [] : ['to', slug(params.destination, 'destination')]),
  ].join('-');
  const summary = `${capitalize(params.action)} ${protocol === 'any' ? 'any protocol' : protocol}${params.port === undefined ? '' : ` port ${params.port}`} from ${params.source} to ${params.destination} on ${interfaceName}`;
  return {
    name,
    description: summary,
    resources: [
      {
        server: 'opnsense',
        type: 'firewall:rule',
        name,
        properties: {
          interface: interfaceName,
          action: params.action,
          protocol,
          source: params.source.trim(),
          destination: params.destination.trim(),
          ...(params.port !== undefined ? { destinationPort: params.port } : {}),
          ...(params.action === 'pass' ? {} : { log: true }),
          description: (params.description ?? summary).slice(0, 255),
        },
      },
    ],
  };
}

function isAny(address: string): boolean {
  return ['any', '*', ''].includes(address.trim().toLowerCase());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
