import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinPatterns } from '../../../patterns/index.js';
import { describeParams } from '../../../src/agent/offline/param-spec.js';
import { definePattern } from '../../../src/agent/pattern.js';

const pattern = (name: string) => builtinPatterns.find((candidate) => candidate.name === name)!;

describe('describeParams', () => {
  it('reads types, bounds, defaults and requiredness from the schema', () => {
    const specs = describeParams(pattern('game-server'));
    expect(specs.find((spec) => spec.name === 'game')).toMatchObject({
      kind: 'enum',
      options: ['minecraft', 'valheim', 'factorio', 'terraria', 'satisfactory'],
      required: true,
    });
    expect(specs.find((spec) => spec.name === 'players')).toMatchObject({
      kind: 'number',
      integer: true,
      min: 1,
      max: 200,
      required: false,
      defaultValue: 10,
      format: 'count',
    });
    expect(specs.find((spec) => spec.name === 'public')).toMatchObject({
      kind: 'boolean',
      defaultValue: true,
    });
  });

  it('reads lists of enums and of strings', () => {
    expect(
      describeParams(pattern('dev-environment')).find((spec) => spec.name === 'databases'),
    ).toMatchObject({
      kind: 'enum-list',
      options: ['postgres', 'mysql', 'mongodb'],
    });
    expect(
      describeParams(pattern('database-cluster')).find((spec) => spec.name === 'allowFrom'),
    ).toMatchObject({
      kind: 'string-list',
      format: 'cidr',
    });
  });

  it('pairs minimum and maximum parameters', () => {
    const specs = describeParams(pattern('web-app'));
    expect(specs.find((spec) => spec.name === 'minInstances')?.bound).toEqual({
      end: 'min',
      partner: 'maxInstances',
    });
    expect(specs.find((spec) => spec.name === 'maxInstances')?.bound).toEqual({
      end: 'max',
      partner: 'minInstances',
    });
  });

  it('gives a pattern without hints words and formats from names and descriptions', () => {
    const own = definePattern({
      name: 'nextcloud',
      description: 'A Nextcloud server.',
      examples: [],
      params: z.object({
        userCount: z.number().int().min(1).default(5).describe('Number of user accounts.'),
        ramGb: z.number().default(4),
        vlanId: z.number().int().optional(),
        publicDomain: z.string(),
        backupSchedule: z.string().default('0 3 * * *'),
        redisCache: z.boolean().default(true),
        allowedNetworks: z.array(z.string()).optional().describe('CIDRs that may connect.'),
      }),
      generate: () => ({ name: 'n', resources: [] }),
    });
    const specs = Object.fromEntries(describeParams(own).map((spec) => [spec.name, spec]));
    expect(specs.userCount).toMatchObject({ format: 'count', words: expect.arrayContaining(['user']) });
    expect(specs.ramGb?.format).toBe('memory-gb');
    expect(specs.vlanId?.format).toBe('vlan');
    expect(specs.publicDomain).toMatchObject({ format: 'domain', required: true });
    expect(specs.backupSchedule?.format).toBe('cron');
    expect(specs.redisCache?.whenTrue).toEqual(['redis cache']);
    expect(specs.allowedNetworks).toMatchObject({ kind: 'string-list', format: 'cidr' });
  });
});
