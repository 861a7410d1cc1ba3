import { describe, expect, it } from 'vitest';
import {
  collectTemplates,
  type PropertyTemplate,
  renderProperties,
} from '../../../src/plan/property-references.js';

function render(properties: Record<string, unknown>, value: (template: PropertyTemplate) => unknown) {
  const templates: PropertyTemplate[] = [];
  collectTemplates(properties, templates, []);
  return { templates, result: renderProperties(properties, templates, { render: value }) };
}

describe('templates in properties', () => {
  it('finds templates at any depth, with their paths', () => {
    const { templates } = render(
      { a: '${x:y.id}', plain: 'text', nested: { list: ['no', 'http://${x:z.ip}/'] } },
      () => 'v',
    );
    expect(templates.map((template) => [template.path, template.segments])).toEqual([
      ['properties.a', ['a']],
      ['properties.nested.list[1]', ['nested', 'list', 1]],
    ]);
  });

  it('renders into copies along the paths and leaves the input and untouched branches alone', () => {
    const input = {
      top: '${x:y.id}',
      nested: { list: ['keep', '${x:z.ip}'], other: { deep: 1 } },
      untouched: { a: [1, 2] },
    };
    const snapshot = structuredClone(input);
    const { result } = render(input, (template) => `rendered ${template.path}`);
    expect(result).toEqual({
      top: 'rendered properties.top',
      nested: { list: ['keep', 'rendered properties.nested.list[1]'], other: { deep: 1 } },
      untouched: { a: [1, 2] },
    });
    expect(input).toEqual(snapshot);
    expect(result.untouched).toBe(input.untouched);
    expect((result.nested as { other: unknown }).other).toBe(input.nested.other);
  });

  it('copies a shared container once when several templates sit in it', () => {
    const input = { list: ['${a:b.c}', '${a:d.e}'] };
    const { result } = render(input, (template) => template.path);
    expect(result).toEqual({ list: ['properties.list[0]', 'properties.list[1]'] });
    expect(input.list).toEqual(['${a:b.c}', '${a:d.e}']);
  });

  it('returns the same object when there is nothing to render', () => {
    const input = { a: 'plain' };
    expect(render(input, () => 'x').result).toBe(input);
  });
});
