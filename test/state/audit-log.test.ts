import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, auditLogFile, planHash } from '../../src/state/audit-log.js';
import { planOf } from '../unit/policy/policy-helpers.js';

describe('audit log', () => {
  it('appends one JSON line per entry, with who and when, and never rewrites earlier lines', async () => {
    const home = mkdtempSync(join(tmpdir(), 'conductor-audit-'));
    await appendAudit(home, { command: 'apply', deployment: 'a', approval: 'approved', result: 'succeeded' });
    const first = readFileSync(auditLogFile(home), 'utf8');
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        appendAudit(home, {
          command: 'chat',
          request: `request ${index}`,
          approval: 'not-asked',
          result: 'answered',
        }),
      ),
    );
    const text = readFileSync(auditLogFile(home), 'utf8');
    expect(text.startsWith(first)).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatchObject({
      command: 'apply',
      deployment: 'a',
      approval: 'approved',
      result: 'succeeded',
    });
    expect(lines[0]!.who).toMatchObject({ pid: process.pid });
    expect(Number.isNaN(Date.parse(String(lines[0]!.at)))).toBe(false);
    expect(new Set(lines.slice(1).map((line) => line.request)).size).toBe(20);
    expect(statSync(auditLogFile(home)).mode & 0o077).toBe(0);
  });

  it('fingerprints what a plan changes, and no secret can be read from it', async () => {
    const rule = (port: number) => ({
      server: 'docker',
      type: 'container',
      name: 'db',
      properties: { image: 'postgres:16', env: { POSTGRES_PASSWORD: 'hunter2' }, ports: [`${port}:5432`] },
    });
    const a = await planOf([rule(5432)]);
    const b = await planOf([rule(5432)]);
    const c = await planOf([rule(5433)]);
    expect(planHash(a)).toBe(planHash(b));
    expect(planHash(a)).not.toBe(planHash(c));
    expect(planHash(a)).toMatch(/^[0-9a-f]{16}$/);
    // A different password (masked) gives the same hash: the hash does not depend on secret values.
    const other = await planOf([
      { ...rule(5432), properties: { ...rule(5432).properties, env: { POSTGRES_PASSWORD: 'other' } } },
    ]);
    expect(planHash(other)).toBe(planHash(a));
  });

  it('changes when a value the review showed, such as one read from state, is different', async () => {
    const a = await planOf([
      {
        server: 'docker',
        type: 'container',
        name: 'web',
        properties: { image: 'nginx', ipAddress: '10.0.0.5' },
      },
    ]);
    const shifted = structuredClone(a);
    shifted.steps[0]!.after = { ...shifted.steps[0]!.after, ipAddress: '10.0.0.6' };
    expect(planHash(shifted)).not.toBe(planHash(a));
  });
});
