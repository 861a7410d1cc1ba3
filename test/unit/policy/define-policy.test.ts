import { describe, expect, it } from 'vitest';
import { ConductorError } from '../../../src/model/conductor-error.js';
import { definePolicy, type PolicyDefinition } from '../../../src/policy/policy.js';

const valid: PolicyDefinition = {
  id: 'no-public-buckets',
  description: 'S3 buckets must not be public.',
  severity: 'high',
  evaluate: () => [],
};

/** The error definePolicy throws; fails the test when it does not throw a ConductorError. */
function rejection(definition: unknown): ConductorError {
  try {
    definePolicy(definition as PolicyDefinition);
  } catch (error) {
    if (ConductorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('definePolicy accepted the definition');
}

describe('definePolicy', () => {
  it('fills the defaults: advisory enforcement and no options', () => {
    const policy = definePolicy(valid);

    expect(policy).toMatchObject({
      id: 'no-public-buckets',
      description: 'S3 buckets must not be public.',
      severity: 'high',
      enforcement: 'advisory',
      options: {},
    });
    expect(policy.evaluate).toBe(valid.evaluate);
  });

  it('keeps the enforcement and options it is given', () => {
    const policy = definePolicy({ ...valid, enforcement: 'mandatory', options: { buckets: ['logs'] } });

    expect(policy.enforcement).toBe('mandatory');
    expect(policy.options).toEqual({ buckets: ['logs'] });
  });

  it.each([
    ['an id that is not kebab-case', { ...valid, id: 'No Public Buckets' }, '"id" must be kebab-case'],
    ['an id with a leading dash', { ...valid, id: '-buckets' }, '"id" must be kebab-case'],
    ['a missing id', { ...valid, id: undefined }, '"id" must be kebab-case'],
    [
      'an empty description',
      { ...valid, description: '  ' },
      '"description" must say what the policy checks',
    ],
    [
      'an unknown severity',
      { ...valid, severity: 'urgent' },
      '"severity" must be one of low, medium, high, critical',
    ],
    ['an unknown enforcement', { ...valid, enforcement: 'strict' }, '"enforcement" must be one of'],
    [
      'an evaluate that is not a function',
      { ...valid, evaluate: 'return []' },
      '"evaluate" must be a function',
    ],
  ])('rejects %s with an invalid-policy error naming the problem', (_, definition, problem) => {
    const error = rejection(definition);

    expect(error.code).toBe('invalid-policy');
    expect(error.summary).toContain(problem);
    expect(error.detail).toContain('definePolicy({');
    expect(error.exitCode).toBe(2);
  });

  it('names the policy in the summary when it has an id', () => {
    expect(rejection({ ...valid, severity: 'urgent' }).summary).toMatch(
      /^Policy "no-public-buckets" is not valid: /,
    );
  });

  it('lists every problem at once', () => {
    const error = rejection({ id: 'x', description: '', severity: 'huge', evaluate: null });

    expect(error.summary).toContain('"description"');
    expect(error.summary).toContain('"severity"');
    expect(error.summary).toContain('"evaluate"');
    expect(error.summary).not.toContain('"id"');
  });

  it.each([
    ['null', null],
    ['a string', 'no-public-buckets'],
  ])('rejects %s instead of a definition object', (_, definition) => {
    const error = rejection(definition);

    expect(error.code).toBe('invalid-policy');
    expect(error.summary).toContain('not an object');
  });
});
