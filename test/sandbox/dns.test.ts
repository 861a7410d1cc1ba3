// The simulated DNS provider enforces DNS's own rules.
import { describe, expect, it } from 'vitest';
import { openTestEngine, refusal } from './support.js';

describe('record', () => {
  it('answers with the FQDN and zone, and validates values per type', async () => {
    const { engine, create } = await openTestEngine('dns');
    const record = await create('record', 'minecraft-dns', {
      name: 'minecraft.home.arpa',
      type: 'A',
      value: '10.20.0.10',
      ttl: 300,
    });
    expect(record).toMatchObject({
      fqdn: 'minecraft.home.arpa',
      zone: 'home.arpa',
      values: ['10.20.0.10'],
      ttl: 300,
    });
    expect(String(record.id)).toMatch(/^[0-9a-f]{32}$/);
    const wrong = await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'bad',
          properties: { name: 'x.example.com', type: 'A', value: 'example.org' },
        }),
      'invalid-properties',
    );
    expect(wrong.message).toContain("A record's value must be an IPv4 address");
    await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'ttl',
          properties: { name: 'x.example.com', type: 'A', value: '192.0.2.1', ttl: 5 },
        }),
      'invalid-properties',
    );
    await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'mx',
          properties: { name: 'example.com', type: 'MX', value: 'mail.example.com' },
        }),
      'invalid-properties',
    );
    await create('record', 'mx', {
      name: 'example.com',
      type: 'MX',
      value: 'mail.example.com',
      priority: 10,
    });
  });

  it('keeps a CNAME alone at its name and refuses identical records', async () => {
    const { engine, create } = await openTestEngine('dns');
    await create('record', 'www-1', { name: 'www.example.com', type: 'A', value: '192.0.2.10' });
    await create('record', 'www-2', { name: 'www.example.com', type: 'A', value: '192.0.2.11' });
    await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'same',
          properties: { name: 'WWW.example.com.', type: 'A', value: '192.0.2.10' },
        }),
      'conflict',
    );
    const cname = await refusal(
      () =>
        engine.create({
          type: 'record',
          name: 'alias',
          properties: { name: 'www.example.com', type: 'CNAME', value: 'lb.example.net' },
        }),
      'conflict',
    );
    expect(cname.message).toContain('a CNAME must be the only record at its name');
  });
});
