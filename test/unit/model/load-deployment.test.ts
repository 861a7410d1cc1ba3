import { describe, expect, it } from 'vitest';
import { isValidResource, parseDeploymentText } from '../../../src/model/load-deployment.js';
import { resourceSchema } from '../../../src/model/resource.js';

describe('deployment input', () => {
  it('reads the resources shape from YAML', () => {
    const result = parseDeploymentText(
      [
        'name: web',
        'resources:',
        '  - server: opnsense',
        '    type: network:vlan',
        '    name: v',
        '    properties: { tag: 10 }',
      ].join('\n'),
      { file: 'web.yaml' },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.deployment).toEqual({
      name: 'web',
      resources: [
        { server: 'opnsense', type: 'network:vlan', name: 'v', properties: { tag: 10 }, dependsOn: [] },
      ],
    });
  });

  it('reads the serverResources shape, full types and `dependencies`', () => {
    const result = parseDeploymentText(
      JSON.stringify({
        name: 'app',
        serverResources: {
          docker: [
            { type: 'docker:image:build', name: 'img', properties: {} },
            { type: 'registry:push', name: 'push', dependencies: ['img'] },
          ],
        },
      }),
      { file: 'app.json' },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.deployment!.resources).toEqual([
      { server: 'docker', type: 'image:build', name: 'img', properties: {}, dependsOn: [] },
      { server: 'docker', type: 'registry:push', name: 'push', properties: {}, dependsOn: ['img'] },
    ]);
  });

  it('takes the server from a full type when none is given, and the name from the file', () => {
    const result = parseDeploymentText(
      JSON.stringify({ resources: [{ type: 'aws:ec2:instance', name: 'web', properties: {} }] }),
      { file: 'dir/my-stack.json' },
    );
    expect(result.deployment).toMatchObject({
      name: 'my-stack',
      resources: [{ server: 'aws', type: 'ec2:instance' }],
    });
  });

  it('points at the line and column of malformed JSON', () => {
    const result = parseDeploymentText(
      '{\n  "name": "x",\n  "resources": [\n    { "name": "a" }\n    { "name": "b" }\n  ]\n}',
      {
        file: 'bad.json',
      },
    );
    expect(result.deployment).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      code: 'invalid-json',
      source: { file: 'bad.json', line: 5 },
    });
    expect(result.diagnostics[0]!.summary).toMatch(/^bad\.json:5:\d+: /);
  });

  it('points at the line of malformed YAML and of duplicate keys', () => {
    const bad = parseDeploymentText('name: x\nresources:\n  - name: a\n    type: [unclosed\n', {
      file: 'bad.yaml',
    });
    expect(bad.diagnostics[0]).toMatchObject({ code: 'invalid-yaml', source: { file: 'bad.yaml' } });
    const duplicate = parseDeploymentText('name: x\nname: y\nresources: []\n', { file: 'dup.yaml' });
    expect(duplicate.diagnostics[0]).toMatchObject({ code: 'invalid-yaml', source: { line: 2 } });
  });

  it('collects every invalid resource with its location and a fix', () => {
    const text = [
      'name: x',
      'resources:',
      '  - server: docker',
      '    type: container',
      '    name: has space',
      '  - server: docker',
      '    name: no-type',
      '  - type: vlan',
      '    name: no-server',
    ].join('\n');
    const result = parseDeploymentText(text, { file: 'x.yaml' });
    expect(result.deployment).toBeUndefined();
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.source?.line])).toEqual([
      ['invalid-resource', 5],
      ['invalid-resource', 6],
      ['missing-server', 8],
    ]);
    expect(result.diagnostics[1]!.summary).toContain('"type" is missing');
    for (const diagnostic of result.diagnostics) expect(diagnostic.detail.length).toBeGreaterThan(10);
  });

  it('warns about fields it ignores instead of dropping them silently', () => {
    const result = parseDeploymentText(
      JSON.stringify({
        name: 'x',
        resources: [{ server: 's', type: 't', name: 'n', outputs: { ip: '1' }, propertes: {} }],
      }),
    );
    expect(result.deployment).toBeDefined();
    expect(result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.path])).toEqual([
      ['warning', 'resources[0].outputs'],
      ['warning', 'resources[0].propertes'],
    ]);
  });

  it('rejects a server listed under another server', () => {
    const result = parseDeploymentText(
      JSON.stringify({ name: 'x', serverResources: { aws: [{ server: 'docker', type: 't', name: 'n' }] } }),
    );
    expect(result.diagnostics[0]).toMatchObject({ code: 'server-mismatch', severity: 'error' });
  });

  it('locates resources and their properties for later diagnostics', () => {
    const text = [
      'name: x',
      'resources:',
      '  - server: a',
      '    type: t',
      '    name: n',
      '    properties:',
      '      ref: ${a:m.id}',
    ].join('\n');
    const result = parseDeploymentText(text, { file: 'x.yaml' });
    expect(result.locate!('a:t:n', 'properties.ref')).toEqual({ file: 'x.yaml', line: 7, column: 12 });
    expect(result.locate!('a:t:n')).toMatchObject({ line: 3 });
  });
});

describe('the fast resource check', () => {
  const valid = {
    server: 'aws',
    type: 'ec2:instance',
    name: 'web-1',
    properties: { a: 1 },
    dependsOn: ['x'],
  };
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a valid resource', valid],
    ['tags and sensitive', { ...valid, tags: { Owner: 'me' }, sensitive: ['password'] }],
    ['a server with a dot', { ...valid, server: 'a.b' }],
    ['an empty type segment', { ...valid, type: 'ec2::instance' }],
    ['a type with a space', { ...valid, type: 'ec2 instance' }],
    ['a name starting with a dash', { ...valid, name: '-web' }],
    ['a name with a colon', { ...valid, name: 'a:b' }],
    ['properties as a list', { ...valid, properties: [1] }],
    ['properties missing', { ...valid, properties: undefined }],
    ['a dependency that is a number', { ...valid, dependsOn: [1] }],
    ['a tag that is a number', { ...valid, tags: { Owner: 1 } }],
    ['tags as a list', { ...valid, tags: ['Owner'] }],
    ['sensitive as text', { ...valid, sensitive: 'password' }],
    ['a numeric name', { ...valid, name: 42 }],
  ];

  it.each(cases)('agrees with the schema on %s', (_, candidate) => {
    expect(isValidResource(candidate as Parameters<typeof isValidResource>[0])).toBe(
      resourceSchema.safeParse(candidate).success,
    );
  });
});
