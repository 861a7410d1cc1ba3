// Fault injection decides the same way for the same seed and calls, so a failing run can be replayed.
import { describe, expect, it } from 'vitest';
import {
  type FaultCall,
  type FaultDecision,
  FaultInjector,
  parseFaultsEnv,
} from '../../src/sandbox/faults.js';

const CALLS: FaultCall[] = Array.from({ length: 300 }, (_, index) => ({
  operation: (['create', 'read', 'update', 'delete', 'list'] as const)[index % 5]!,
  type: 'ec2:instance',
  name: `web-${index}`,
}));

function summarize(decision: FaultDecision): string {
  return decision.kind === 'fail'
    ? `fail:${decision.error.code}:${decision.latencyMs}`
    : `${decision.kind}:${decision.latencyMs}`;
}

describe('FaultInjector', () => {
  it('makes the same decisions for the same seed, and others for another seed', () => {
    const faults = { failRate: 0.2, hangRate: 0.05, latencyMs: [5, 50] as [number, number], seed: 7 };
    const run = (seed: number) => {
      const injector = new FaultInjector('aws', { ...faults, seed });
      return CALLS.map((call) => summarize(injector.decide(call)));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
    const kinds = run(7).map((entry) => entry.split(':')[0]);
    const failures = kinds.filter((kind) => kind === 'fail').length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(kinds).toContain('hang');
    for (const entry of run(7)) {
      const latency = Number(entry.split(':').at(-1));
      expect(latency).toBeGreaterThanOrEqual(5);
      expect(latency).toBeLessThanOrEqual(50);
    }
  });

  it('fails with retryable codes, permanent ones, or a mix, as asked', () => {
    const codes = (failKind: 'retryable' | 'permanent' | 'mixed') => {
      const injector = new FaultInjector('aws', { failRate: 1, failKind, seed: 3 });
      return new Set(
        CALLS.map((call) => injector.decide(call)).flatMap((decision) =>
          decision.kind === 'fail' ? [`${decision.error.code}:${decision.error.retryable}`] : [],
        ),
      );
    };
    expect(codes('retryable')).toEqual(new Set(['throttled:true', 'unavailable:true']));
    expect(codes('permanent')).toEqual(new Set(['internal-error:false']));
    expect(codes('mixed')).toEqual(new Set(['throttled:true', 'unavailable:true', 'internal-error:false']));
  });

  it('fails exactly the calls failOn names, without shifting the other decisions', () => {
    const plain = new FaultInjector('aws', { failRate: 0.3, seed: 5 });
    const targeted = new FaultInjector('aws', {
      failRate: 0.3,
      seed: 5,
      failOn: ['update:ec2:instance:web-2', 'create:elb:loadBalancer'],
    });
    for (const call of CALLS) {
      const expected = plain.decide(call);
      const decision = targeted.decide(call);
      if (call.name === 'web-2' && call.operation === 'update') {
        expect(decision).toMatchObject({
          kind: 'fail',
          error: { code: 'injected-failure', retryable: false },
        });
        expect(decision.kind === 'fail' && decision.error.message).toContain(
          'failOn "update:ec2:instance:web-2"',
        );
      } else {
        expect(summarize(decision)).toBe(summarize(expected));
      }
    }
    expect(targeted.decide({ operation: 'create', type: 'elb:loadBalancer', name: 'any' }).kind).toBe('fail');
    expect(targeted.decide({ operation: 'create', type: 'elb:targetGroup', name: 'any' }).kind).toBe(
      'proceed',
    );
  });

  it('crashes on the first create, update or delete after crashAfterCalls of them; reads do not count', () => {
    const injector = new FaultInjector('docker', { crashAfterCalls: 2 });
    const kinds = (['create', 'read', 'list', 'update', 'read', 'delete'] as const).map(
      (operation) => injector.decide({ operation, type: 'container' }).kind,
    );
    expect(kinds).toEqual(['proceed', 'proceed', 'proceed', 'proceed', 'proceed', 'crash']);
  });

  it('leaves resource_types alone except for latency', () => {
    const injector = new FaultInjector('aws', { failRate: 1, hangRate: 1, latencyMs: 3, failOn: ['create'] });
    expect(injector.decide({ operation: 'types' })).toEqual({ kind: 'proceed', latencyMs: 3 });
  });
});

describe('parseFaultsEnv', () => {
  it("reads one server's faults and ignores the others", () => {
    const text = JSON.stringify({
      aws: { failRate: 0.1, latencyMs: [5, 50], crashAfterCalls: 20, hangRate: 0.05, seed: 7 },
      dns: {},
    });
    expect(parseFaultsEnv(text, 'aws')).toEqual({
      failRate: 0.1,
      latencyMs: [5, 50],
      crashAfterCalls: 20,
      hangRate: 0.05,
      seed: 7,
    });
    expect(parseFaultsEnv(text, 'opnsense')).toBeUndefined();
    expect(parseFaultsEnv(undefined, 'aws')).toBeUndefined();
  });

  it('says what is wrong with a bad value', () => {
    expect(() => parseFaultsEnv('{aws', 'aws')).toThrow(/not valid JSON/);
    expect(() => parseFaultsEnv('{"aws": {"failrate": 0.1}}', 'aws')).toThrow(
      /aws: Unrecognized key: "failrate".*Known settings per server: seed, failRate/,
    );
    expect(() => parseFaultsEnv('{"aws": {"failOn": ["make:vm"]}}', 'aws')).toThrow(
      /failOn entries are operation/,
    );
    expect(() => parseFaultsEnv('{"aws": {"failRate": 2}}', 'aws')).toThrow(/aws.failRate/);
  });
});
