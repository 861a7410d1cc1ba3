import { describe, expect, it } from 'vitest';
import type { Reference } from '../../../src/model/reference.js';
import { NOT_KNOWN, parseTemplate, renderTemplate } from '../../../src/plan/template.js';

function parse(text: string) {
  const result = parseTemplate(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.message}`);
  return result.template;
}

describe('reference grammar', () => {
  it('splits server, type hint, name and output path', () => {
    expect(parse('${opnsense:network:vlan:game.device}').parts).toEqual([
      {
        kind: 'resource',
        expression: '${opnsense:network:vlan:game.device}',
        server: 'opnsense',
        typeHint: 'network:vlan',
        name: 'game',
        output: ['device'],
      },
    ]);
  });

  it('accepts a missing type and nested output paths with indexes', () => {
    const [reference] = parse('${aws:web-1.outputs.ips[0].address}').parts as Reference[];
    expect(reference).toMatchObject({
      server: 'aws',
      name: 'web-1',
      output: ['outputs', 'ips', 0, 'address'],
    });
    expect(reference).not.toHaveProperty('typeHint');
  });

  it('reads variables with an optional path', () => {
    expect(parse('${var.version}').parts[0]).toMatchObject({ kind: 'variable', name: 'version', output: [] });
    expect(parse('${var.db.port}').parts[0]).toMatchObject({
      kind: 'variable',
      name: 'db',
      output: ['port'],
    });
  });

  it('keeps text around references and unescapes $${', () => {
    const template = parse('http://${docker:container:app.ip}:8080/$${not-a-ref}');
    expect(template.parts).toHaveLength(3);
    expect(template.parts[0]).toBe('http://');
    expect(template.parts[2]).toBe(':8080/${not-a-ref}');
  });

  it('leaves a lone dollar alone', () => {
    expect(parse('costs $5 ${aws:x:y.z}').parts[0]).toBe('costs $5 ');
  });

  it.each([
    ['${version}', /var\.version/],
    ['${aws:ec2:web}', /which output/],
    ['${aws:ec2:web.}', /invalid output path/],
    ['${aws:ec2:web.ips[x]}', /invalid output path/],
    ['${aws:ec 2:web.id}', /not a valid reference/],
    ['prefix ${aws:ec2:web.id', /never closed/],
  ])('rejects %s with a fix', (text, pattern) => {
    const result = parseTemplate(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(`${result.message} ${result.fix}`).toMatch(pattern);
  });
});

describe('rendering', () => {
  const values: Record<string, unknown> = {
    ips: ['10.0.0.1', '10.0.0.2'],
    port: 8080,
    host: 'app.local',
  };
  const lookup = (reference: Reference) =>
    reference.kind === 'resource' && reference.name in values ? values[reference.name] : NOT_KNOWN;

  it('keeps the type of a whole-string reference', () => {
    expect(renderTemplate(parse('${docker:ips.value}'), lookup)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(renderTemplate(parse('${docker:port.value}'), lookup)).toBe(8080);
  });

  it('interpolates embedded references as text', () => {
    expect(renderTemplate(parse('http://${dns:host.value}:${docker:port.value}/'), lookup)).toBe(
      'http://app.local:8080/',
    );
  });

  it('marks values that are only known after apply, keeping the known parts', () => {
    expect(renderTemplate(parse('${aws:ec2:web.privateIp}'), lookup)).toEqual({
      $unknown: '${aws:ec2:web.privateIp}',
    });
    expect(renderTemplate(parse('http://${aws:ec2:web.privateIp}:${docker:port.value}'), lookup)).toEqual({
      $unknown: 'http://${aws:ec2:web.privateIp}:8080',
    });
  });

  it('re-escapes literal ${ inside an unknown expression so it stays unambiguous', () => {
    expect(renderTemplate(parse('$${x} ${aws:ec2:web.id}'), lookup)).toEqual({
      $unknown: '$${x} ${aws:ec2:web.id}',
    });
  });
});
