import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PropertyValidator } from '../../../src/plan/validate-properties.js';

const address = 'docker:container:web';

describe('property validation against provider schemas', () => {
  it('checks schemas written by zod 4 (draft 2020-12), as the sandbox servers publish them', () => {
    const schema = z.toJSONSchema(z.strictObject({ image: z.string(), memory: z.string().optional() }), {
      io: 'input',
    }) as Record<string, unknown>;
    expect(String(schema.$schema)).toContain('2020-12');
    const validator = new PropertyValidator();
    expect(validator.validate('docker/container', schema, { image: 'nginx' }, address)).toEqual([]);
    const extra = validator.validate('docker/container', schema, { image: 'nginx', memroy: '4g' }, address);
    expect(extra).toEqual([
      expect.objectContaining({ code: 'invalid-properties', summary: expect.stringContaining('memroy') }),
    ]);
    expect(validator.validate('docker/container', schema, {}, address)[0]?.summary).toContain(
      'image is required',
    );
  });

  it('checks draft-07 schemas and schemas that name no draft', () => {
    const schema = { type: 'object', properties: { port: { type: 'integer' } }, required: ['port'] };
    const validator = new PropertyValidator();
    expect(validator.validate('a', schema, { port: 'eighty' }, address)).toHaveLength(1);
    expect(
      validator.validate('b', { ...schema, $schema: 'http://json-schema.org/draft-07/schema#' }, {}, address),
    ).toHaveLength(1);
  });

  it('says once that a schema it cannot compile leaves the properties unchecked until apply', () => {
    const broken = { type: 'object', properties: { port: { type: 'not-a-type' } } };
    const validator = new PropertyValidator();
    expect(validator.validate('bad', broken, { port: 1 }, address)).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'schema-unusable' }),
    ]);
    expect(validator.validate('bad', broken, { port: 1 }, address)).toEqual([]);
  });
});
