// The simulated certificate manager applies the issuers' real rules.
import { describe, expect, it } from 'vitest';
import { openTestEngine, refusal } from './support.js';

describe('certificate', () => {
  it("issues 90-day Let's Encrypt certificates for public names", async () => {
    const { create } = await openTestEngine('certs');
    const certificate = await create('certificate', 'web', {
      domains: ['app.example.com', 'www.example.com'],
    });
    expect(certificate).toMatchObject({
      commonName: 'app.example.com',
      domains: ['app.example.com', 'www.example.com'],
      status: 'issued',
      certificatePath: '/etc/ssl/conductor/web/fullchain.pem',
    });
    const days =
      (Date.parse(String(certificate.notAfter)) - Date.parse(String(certificate.notBefore))) / 86_400_000;
    expect(days).toBe(90);
    expect(String(certificate.fingerprint)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("refuses private names and wildcards without dns-01 for Let's Encrypt, and issues them internally", async () => {
    const { engine, create } = await openTestEngine('certs');
    const lan = await refusal(
      () => engine.create({ type: 'certificate', name: 'nas', properties: { domain: 'nas.home.arpa' } }),
      'invalid-properties',
    );
    expect(lan.message).toContain('Use issuer: internal');
    const wildcard = await refusal(
      () => engine.create({ type: 'certificate', name: 'wild', properties: { domain: '*.example.com' } }),
      'invalid-properties',
    );
    expect(wildcard.message).toContain('challenge: dns-01');
    await create('certificate', 'wild', { domain: '*.example.com', challenge: 'dns-01' });
    const internal = await create('certificate', 'nas', {
      domain: 'nas.home.arpa',
      issuer: 'internal',
      validityDays: 30,
    });
    expect(internal.issuer).toBe('CN=Conductor Sandbox Internal CA');
  });
});
