import { describe, expect, it } from 'vitest';
import type { ResourceInput } from './policy-helpers.js';
import { evaluate, onlyResult, unverifiable, violations } from './policy-helpers.js';

const POLICY = 'required-tags';
const requireOwnerAndEnvironment = { [POLICY]: { tags: ['Owner', 'Environment'] } };

function bucket(name: string, extra: Partial<ResourceInput> = {}): ResourceInput {
  return { server: 'aws', type: 's3:bucket', name, properties: { acl: 'private' }, ...extra };
}

describe('required-tags', () => {
  it('requires nothing by default', async () => {
    const report = await evaluate([bucket('untagged')]);

    expect(report.evaluated).toContain(POLICY);
    expect(report.results).toEqual([]);
  });

  it('reports each resource missing a required tag, naming the tags it lacks', async () => {
    const report = await evaluate(
      [
        bucket('untagged'),
        bucket('owner-only', { tags: { Owner: 'platform' } }),
        bucket('complete', {
          properties: { acl: 'private', tags: { Owner: 'platform', Environment: 'prod' } },
        }),
      ],
      requireOwnerAndEnvironment,
    );

    const found = violations(report, POLICY);
    expect(found.map((result) => [result.address, result.summary])).toEqual([
      ['aws:s3:bucket:owner-only', 'Missing required tag: Environment.'],
      ['aws:s3:bucket:untagged', 'Missing required tags: Owner, Environment.'],
    ]);
    expect(found[0]).toMatchObject({ code: 'missing-tags', enforcement: 'advisory', severity: 'medium' });
    expect(found[1]!.remediation).toContain('"Owner": "..."');
    expect(report.blocked).toBe(false);
  });

  it('reads tags on the resource and in properties.tags together', async () => {
    const report = await evaluate(
      [bucket('split', { tags: { Owner: 'platform' }, properties: { tags: { Environment: 'prod' } } })],
      requireOwnerAndEnvironment,
    );

    expect(report.results).toEqual([]);
  });

  it('reads tags on any resource type and server', async () => {
    const report = await evaluate(
      [
        {
          server: 'docker',
          type: 'container',
          name: 'app',
          properties: { image: 'app:1' },
          tags: { Owner: 'x' },
        },
        {
          server: 'opnsense',
          type: 'network:vlan',
          name: 'v',
          properties: { tag: 20, tags: { Owner: 'y' } },
        },
      ],
      { [POLICY]: { tags: ['Owner'] } },
    );

    expect(report.results).toEqual([]);
  });

  it('counts an empty tag value as missing', async () => {
    const report = await evaluate(
      [bucket('blank', { tags: { Owner: '', Environment: 'prod' } })],
      requireOwnerAndEnvironment,
    );

    expect(onlyResult(report).summary).toBe('Missing required tag: Owner.');
  });

  it('reports tags only known after apply as unverifiable', async () => {
    const report = await evaluate(
      [
        { server: 'aws', type: 'iam:role', name: 'owner', properties: {} },
        bucket('late', { properties: { tags: { Owner: '${aws:iam:owner.arn}', Environment: 'prod' } } }),
      ],
      requireOwnerAndEnvironment,
    );

    expect(unverifiable(report, POLICY).map((result) => result.address)).toEqual(['aws:s3:bucket:late']);
    expect(violations(report, POLICY).map((result) => result.address)).toEqual(['aws:iam:role:owner']);
  });

  it('blocks when settings make it mandatory', async () => {
    const report = await evaluate([bucket('untagged')], {
      [POLICY]: { tags: ['Owner'], enforcement: 'mandatory', severity: 'high' },
    });

    expect(onlyResult(report)).toMatchObject({ enforcement: 'mandatory', severity: 'high' });
    expect(report.blocked).toBe(true);
  });
});
