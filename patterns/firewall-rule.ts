// One firewall rule on OPNsense, checked by the same policies as every other change.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

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
    protocol: { synonyms: { tcp: ['tcp'], udp: ['udp'], any: ['any protocol', 'all protocols'] } },
    source: { words: ['from'], format: 'cidr' },
    destination: { words: ['to'], format: 'cidr' },
    interface: { words: ['on', 'interface'], format: 'name' },
    description: { words: ['for', 'description'], format: 'text' },
  },
  generate: () => {
    throw new Error('firewall-rule: generate is not written yet');
  },
});
