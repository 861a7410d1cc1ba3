// A replicated database cluster on its own VLAN, reachable only from the networks allowed, with nightly backups.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

export default definePattern({
  name: 'database-cluster',
  description:
    'A replicated database cluster (PostgreSQL, MySQL, MongoDB or Redis) on its own VLAN, with storage per replica, firewall rules that admit only the allowed networks, and scheduled backups.',
  examples: [
    'deploy a 3 node postgres cluster',
    'I need a mysql 8.0 cluster with 5 replicas and 100GB each, reachable from 10.20.0.0/24',
    'redis cluster on vlan 45, backups nightly at 3am',
  ],
  keywords: ['database', 'db', 'cluster', 'replicas', 'replicated', 'database cluster', 'nodes'],
  params: z.object({
    engine: z.enum(['postgres', 'mysql', 'mongodb', 'redis']).describe('Database engine.'),
    replicas: z.number().int().min(1).max(9).default(3).describe('Number of database nodes.'),
    version: z.string().optional().describe('Engine version, e.g. 16 or 8.0.'),
    vlanTag: z.number().int().min(1).max(4094).default(40).describe('VLAN tag of the database network.'),
    allowFrom: z
      .array(z.string())
      .optional()
      .describe('CIDRs allowed to connect; only the database VLAN itself when not given.'),
    storageGb: z.number().int().min(1).max(16384).default(20).describe('Storage per replica in GB.'),
    backupSchedule: z.string().default('0 2 * * *').describe('When backups run, as a cron expression.'),
  }),
  hints: {
    engine: {
      synonyms: {
        postgres: ['postgresql', 'pg', 'psql'],
        mysql: ['mariadb', 'my sql'],
        mongodb: ['mongo'],
        redis: ['redis'],
      },
    },
    replicas: { words: ['replicas', 'nodes', 'node', 'instances', 'members', 'copies'], format: 'count' },
    version: { words: ['version', 'v'], format: 'version' },
    vlanTag: { words: ['vlan'], format: 'vlan' },
    allowFrom: { words: ['from', 'allow', 'reachable from', 'access from'], format: 'cidr' },
    storageGb: { words: ['storage', 'disk', 'gb', 'each'], format: 'storage-gb' },
    backupSchedule: { words: ['backup', 'backups'], format: 'cron' },
  },
  generate: () => {
    throw new Error('database-cluster: generate is not written yet');
  },
});
