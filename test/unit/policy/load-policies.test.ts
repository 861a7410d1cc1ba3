import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinPolicies } from '../../../src/policy/builtin/index.js';
import { PolicyEngine } from '../../../src/policy/engine.js';
import { loadPolicyFiles } from '../../../src/policy/load-policies.js';
import { planOf } from './policy-helpers.js';

/** A user's policy file: a plain object, since a file outside the project cannot import definePolicy. */
const publicBucketsPolicy = `
export default {
  id: 'no-public-buckets',
  description: 'S3 buckets must not be public.',
  severity: 'high',
  enforcement: 'mandatory',
  evaluate(plan) {
    return plan.steps
      .filter((step) => step.type === 's3:bucket' && step.after?.acl === 'public-read')
      .map((step) => ({
        address: step.address,
        path: 'properties.acl',
        code: 'public-bucket',
        summary: 'Bucket ' + step.name + ' is readable by anyone.',
        remediation: 'Set acl to "private".',
      }));
  },
};
`;

function trivialPolicy(id: string): string {
  return `{ id: '${id}', description: 'Finds nothing (test).', severity: 'low', evaluate: () => [] }`;
}

let directory: string;

beforeEach(async () => {
  // A fresh directory per test: imported modules are cached by path.
  directory = await mkdtemp(join(tmpdir(), 'conductor-policies-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

describe('loadPolicyFiles', () => {
  it('loads a policy file and its findings appear in the report', async () => {
    const file = await write('no-public-buckets.mjs', publicBucketsPolicy);

    const loaded = await loadPolicyFiles([file], directory);

    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.policies.map((policy) => [policy.id, policy.severity, policy.enforcement])).toEqual([
      ['no-public-buckets', 'high', 'mandatory'],
    ]);
    const engine = new PolicyEngine([...builtinPolicies, ...loaded.policies]);
    const plan = await planOf([
      { server: 'aws', type: 's3:bucket', name: 'assets', properties: { acl: 'public-read' } },
      { server: 'aws', type: 's3:bucket', name: 'logs', properties: { acl: 'private' } },
    ]);
    const report = await engine.evaluate(plan);
    expect(report.evaluated).toContain('no-public-buckets');
    expect(report.results).toEqual([
      {
        policy: 'no-public-buckets',
        severity: 'high',
        enforcement: 'mandatory',
        status: 'violation',
        code: 'public-bucket',
        summary: 'Bucket assets is readable by anyone.',
        detail: '',
        remediation: 'Set acl to "private".',
        address: 'aws:s3:bucket:assets',
        path: 'properties.acl',
      },
    ]);
    expect(report.blocked).toBe(true);
  });

  it('resolves relative paths against the base directory', async () => {
    await write('no-public-buckets.mjs', publicBucketsPolicy);

    const loaded = await loadPolicyFiles(['no-public-buckets.mjs'], directory);

    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.policies.map((policy) => policy.id)).toEqual(['no-public-buckets']);
  });

  it('applies definePolicy defaults to a loaded definition', async () => {
    await write('minimal.mjs', `export default ${trivialPolicy('minimal')};`);

    const loaded = await loadPolicyFiles(['minimal.mjs'], directory);

    expect(loaded.policies[0]).toMatchObject({ id: 'minimal', enforcement: 'advisory', options: {} });
  });

  it('loads every .js and .mjs file of a directory, in name order, and ignores other files', async () => {
    await mkdir(join(directory, 'policies'));
    await writeFile(join(directory, 'policies', 'package.json'), '{ "type": "module" }');
    await writeFile(
      join(directory, 'policies', 'b-pair.mjs'),
      `export default [${trivialPolicy('b-one')}, ${trivialPolicy('b-two')}];`,
    );
    await writeFile(
      join(directory, 'policies', 'a-named.js'),
      `export const policies = [${trivialPolicy('a-named')}];`,
    );
    await writeFile(
      join(directory, 'policies', 'c-single.mjs'),
      `export const policy = ${trivialPolicy('c-single')};`,
    );
    await writeFile(join(directory, 'policies', 'README.md'), '# Our policies\n');

    const loaded = await loadPolicyFiles(['policies'], directory);

    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.policies.map((policy) => policy.id)).toEqual(['a-named', 'b-one', 'b-two', 'c-single']);
  });

  it('reports a file with a syntax error, naming it, and still loads the others', async () => {
    const broken = await write('broken.mjs', 'export default { id: "broken", ');
    const good = await write('good.mjs', `export default ${trivialPolicy('good')};`);

    const loaded = await loadPolicyFiles([broken, good], directory);

    expect(loaded.policies.map((policy) => policy.id)).toEqual(['good']);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-policy-file' });
    expect(loaded.diagnostics[0]!.summary).toContain(broken);
    expect(loaded.diagnostics[0]!.detail).toContain('policyFiles');
  });

  it('reports a path that does not exist, naming it', async () => {
    const loaded = await loadPolicyFiles(['does-not-exist.mjs'], directory);

    expect(loaded.policies).toEqual([]);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({ severity: 'error', code: 'policy-file-missing' });
    expect(loaded.diagnostics[0]!.summary).toContain(join(directory, 'does-not-exist.mjs'));
  });

  it('reports a file that exports no policy, naming it', async () => {
    const file = await write('helpers.mjs', 'export const threshold = 3;');

    const loaded = await loadPolicyFiles([file], directory);

    expect(loaded.policies).toEqual([]);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'invalid-policy-file' });
    expect(loaded.diagnostics[0]!.summary).toContain(file);
    expect(loaded.diagnostics[0]!.detail).toContain('exports no policy');
  });

  it('reports an invalid definition with definePolicy’s reason', async () => {
    const file = await write(
      'bad-severity.mjs',
      `export default { id: 'bad-severity', description: 'x', severity: 'urgent', evaluate: () => [] };`,
    );

    const loaded = await loadPolicyFiles([file], directory);

    expect(loaded.policies).toEqual([]);
    expect(loaded.diagnostics[0]!.summary).toContain(file);
    expect(loaded.diagnostics[0]!.detail).toContain('"severity" must be one of');
  });

  it('loads none of a file whose list holds one invalid policy', async () => {
    const file = await write(
      'mixed.mjs',
      `export default [${trivialPolicy('fine-one')}, { id: 'Bad Id', description: 'x', severity: 'low', evaluate: () => [] }];`,
    );

    const loaded = await loadPolicyFiles([file], directory);

    expect(loaded.policies).toEqual([]);
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]!.summary).toContain('could not be loaded');
  });

  it('reports a file that throws while loading', async () => {
    const file = await write('throws.mjs', `throw new Error('missing environment variable POLICY_TOKEN');`);

    const loaded = await loadPolicyFiles([file], directory);

    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]!.summary).toContain(file);
    expect(loaded.diagnostics[0]!.detail).toContain('POLICY_TOKEN');
  });

  it('collects every problem of a directory without throwing', async () => {
    await write('a-broken.mjs', 'export default {');
    await write('b-empty.mjs', '');
    await write('c-good.mjs', `export default ${trivialPolicy('c-good')};`);

    const loaded = await loadPolicyFiles(['.', 'missing-dir'], directory);

    expect(loaded.policies.map((policy) => policy.id)).toEqual(['c-good']);
    expect(loaded.diagnostics.map((diagnostic) => diagnostic.code)).toEqual([
      'invalid-policy-file',
      'invalid-policy-file',
      'policy-file-missing',
    ]);
    expect(loaded.diagnostics[0]!.summary).toContain('a-broken.mjs');
    expect(loaded.diagnostics[1]!.summary).toContain('b-empty.mjs');
    expect(loaded.diagnostics[2]!.summary).toContain('missing-dir');
  });
});
