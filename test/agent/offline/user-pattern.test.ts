// A user's own pattern with no hints at all: the parser must still read it from parameter names and descriptions.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinPatterns } from '../../../patterns/index.js';
import { parseIntent } from '../../../src/agent/offline/index.js';
import { definePattern, type Pattern } from '../../../src/agent/pattern.js';

const nextcloud = definePattern({
  name: 'nextcloud',
  description:
    'A Nextcloud file sharing and sync server with a storage volume, an optional Redis cache and backups.',
  examples: ['set up nextcloud with 1TB for the family'],
  keywords: ['nextcloud', 'file sharing', 'cloud drive'],
  params: z.object({
    users: z.number().int().min(1).max(500).default(5).describe('Number of user accounts.'),
    storageGb: z.number().int().min(10).default(100).describe('Storage for files in GB.'),
    domain: z.string().describe('Domain it is served on.'),
    redis: z.boolean().default(true).describe('Run a Redis cache.'),
    backupSchedule: z.string().default('0 3 * * *').describe('When backups run, as a cron expression.'),
    officeSuite: z
      .enum(['collabora', 'onlyoffice', 'none'])
      .default('none')
      .describe('Online office editor.'),
    vlanTag: z.number().int().min(1).max(4094).optional(),
  }),
  generate: () => ({ name: 'nextcloud', resources: [] }),
}) as unknown as Pattern;

const parse = (text: string) =>
  parseIntent(text, {
    patterns: [...builtinPatterns, nextcloud],
    deployments: [],
    now: new Date('2026-11-21T12:00:00Z'),
  });

describe('a pattern without hints', () => {
  it('is chosen and read by its names and descriptions', () => {
    expect(
      parse(
        'set up nextcloud for 20 users with 2TB at cloud.example.com, no redis, weekly backups on sunday, vlan 12',
      ),
    ).toMatchObject({
      kind: 'deploy',
      pattern: 'nextcloud',
      params: {
        users: 20,
        storageGb: 2048,
        domain: 'cloud.example.com',
        redis: false,
        backupSchedule: '0 3 * * 0',
        vlanTag: 12,
      },
    });
  });

  it('reads its enum and keeps the required domain missing when not given', () => {
    const intent = parse('nextcloud with onlyoffice for three users');
    expect(intent).toMatchObject({
      kind: 'deploy',
      pattern: 'nextcloud',
      params: { officeSuite: 'onlyoffice', users: 3 },
    });
    expect(intent.missing).toEqual(['domain']);
  });

  it('does not take the built-in patterns away', () => {
    expect(parse('minecraft for 4 players').pattern).toBe('game-server');
  });
});
