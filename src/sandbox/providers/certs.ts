// A simulated certificate manager: ACME (Let's Encrypt, production or staging) or an internal CA. It applies the
// issuers' real rules: public names only for Let's Encrypt, DNS-01 for wildcards, 100 names at most, 90-day lifetime.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { SandboxError } from '../sandbox-error.js';
import { isHostname } from '../schema-parts.js';
import { defineType, type SandboxProvider } from '../type-spec.js';
import { isPrivateDomain } from './public-domain.js';

const CERTIFICATE = 'certificate';

const ISSUERS = {
  letsencrypt: "C=US, O=Let's Encrypt, CN=R11",
  'letsencrypt-staging': "C=US, O=(STAGING) Let's Encrypt, CN=(STAGING) Ersatz Edamame E1",
  internal: 'CN=Conductor Sandbox Internal CA',
} as const;

const certificateSchema = z.strictObject({
  domains: z
    .array(z.string())
    .min(1)
    .max(100)
    .optional()
    .describe('Names on the certificate; the first is the common name'),
  domain: z.string().optional().describe('One name; same as domains: [domain]'),
  commonName: z.string().optional(),
  subjectAlternativeNames: z.array(z.string()).optional(),
  issuer: z
    .enum(['letsencrypt', 'letsencrypt-staging', 'internal'])
    .optional()
    .describe('Default letsencrypt'),
  challenge: z
    .enum(['http-01', 'dns-01'])
    .optional()
    .describe('ACME challenge (default http-01; wildcards need dns-01)'),
  dnsProvider: z.string().optional(),
  keyType: z.enum(['rsa2048', 'rsa3072', 'rsa4096', 'ec256', 'ec384']).optional().describe('Default ec256'),
  email: z.email().optional(),
  validityDays: z.int().min(1).max(825).optional().describe('Internal issuer only (default 365)'),
});
type CertificateProperties = z.infer<typeof certificateSchema>;

function certificateNames(properties: CertificateProperties): string[] {
  const names = [
    ...(properties.commonName ? [properties.commonName] : []),
    ...(properties.domain ? [properties.domain] : []),
    ...(properties.domains ?? []),
    ...(properties.subjectAlternativeNames ?? []),
  ];
  return [...new Set(names.map((name) => name.toLowerCase().replace(/\.$/, '')))];
}

const certificate = defineType<CertificateProperties>({
  type: CERTIFICATE,
  description:
    "A TLS certificate from Let's Encrypt (public names only, 90 days; wildcards need challenge dns-01) or the internal CA (any name or IP).",
  schema: certificateSchema,
  outputs: [
    'domains',
    'commonName',
    'issuer',
    'serialNumber',
    'fingerprint',
    'notBefore',
    'notAfter',
    'certificatePath',
    'keyPath',
    'status',
  ],
  replaceOn: [
    'domains',
    'domain',
    'commonName',
    'subjectAlternativeNames',
    'issuer',
    'keyType',
    'validityDays',
  ],
  newId: (context) => context.uuid(),
  realize({ id, name, properties, previous }, context) {
    const owner = `certificate "${name}"`;
    const names = certificateNames(properties);
    if (names.length === 0)
      throw new SandboxError(
        'invalid-properties',
        `${owner}: give domains (or domain), e.g. ["app.example.com"].`,
      );
    if (names.length > 100) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: a certificate holds at most 100 names; split it.`,
      );
    }
    const issuer = properties.issuer ?? 'letsencrypt';
    const acme = issuer !== 'internal';
    for (const entry of names) {
      const ip = isIP(entry) !== 0;
      if (!ip && !isHostname(entry)) {
        throw new SandboxError('invalid-properties', `${owner}: "${entry}" is not a domain name.`);
      }
      if (acme && (ip || isPrivateDomain(entry))) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: Let's Encrypt only issues for public domain names, and "${entry}" is not one. Use issuer: internal for it.`,
        );
      }
      if (acme && entry.startsWith('*.') && (properties.challenge ?? 'http-01') !== 'dns-01') {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: the wildcard "${entry}" can only be validated with the DNS-01 challenge. Set challenge: dns-01.`,
        );
      }
    }
    if (acme && properties.validityDays !== undefined) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: Let's Encrypt certificates last 90 days; remove validityDays or use issuer: internal.`,
      );
    }
    const notBefore = previous ? new Date(String(previous.outputs.notBefore)) : context.now();
    const lifetimeDays = acme ? 90 : (properties.validityDays ?? 365);
    const notAfter = new Date(notBefore.getTime() + lifetimeDays * 86_400_000);
    const digest = createHash('sha256')
      .update(`${id}:${names.join(',')}`)
      .digest('hex');
    return {
      domains: names,
      commonName: names[0]!,
      issuer: ISSUERS[issuer],
      serialNumber: digest.slice(0, 36),
      fingerprint: digest.toUpperCase().match(/../g)!.join(':'),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      certificatePath: `/etc/ssl/conductor/${name}/fullchain.pem`,
      keyPath: `/etc/ssl/conductor/${name}/privkey.pem`,
      status: 'issued',
    };
  },
});

export const certsProvider: SandboxProvider = {
  name: 'certs',
  description: "A simulated certificate manager: Let's Encrypt (production, staging) and an internal CA.",
  types: [certificate],
};
