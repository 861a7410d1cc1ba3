import { describe, expect, it } from 'vitest';
import { decideOnFailure } from '../../src/execute/failure-policy.js';

describe('decideOnFailure', () => {
  it('rollback mode: a failed step stops scheduling and rolls back at the end', () => {
    expect(decideOnFailure('rollback', { kind: 'step-failed', address: 'a:t:x' })).toEqual({
      stopScheduling: true,
      skipDependents: true,
      rollbackAtEnd: true,
    });
  });

  it('rollback mode: a cancel stops scheduling and rolls back', () => {
    expect(decideOnFailure('rollback', { kind: 'cancelled' })).toEqual({
      stopScheduling: true,
      skipDependents: true,
      rollbackAtEnd: true,
    });
  });

  it('keep mode: independent chains keep running, dependents are skipped, nothing is rolled back', () => {
    expect(decideOnFailure('keep', { kind: 'step-failed', address: 'a:t:x' })).toEqual({
      stopScheduling: false,
      skipDependents: true,
      rollbackAtEnd: false,
    });
  });

  it('keep mode: a cancel stops scheduling and keeps what is done', () => {
    expect(decideOnFailure('keep', { kind: 'cancelled' })).toEqual({
      stopScheduling: true,
      skipDependents: true,
      rollbackAtEnd: false,
    });
  });
});
