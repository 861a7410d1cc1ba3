// A development environment: a VLAN with databases and an optional Redis cache as containers.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

export default definePattern({
  name: 'dev-environment',
  description:
    'A development environment on its own VLAN: one or more databases (PostgreSQL, MySQL, MongoDB) and an optional Redis cache as containers, with DNS names.',
  examples: [
    'give me a dev environment with postgres and redis',
    'set up a dev env called sandbox with mysql and mongo, no redis',
    'I need a development environment on VLAN 55',
  ],
  keywords: ['dev', 'development', 'dev environment', 'dev env', 'devenv', 'playground', 'workspace'],
  params: z.object({
    name: z.string().min(1).max(40).default('dev').describe('Name of the environment.'),
    databases: z
      .array(z.enum(['postgres', 'mysql', 'mongodb']))
      .min(1)
      .default(['postgres'])
      .describe('Databases to run.'),
    cache: z.boolean().default(true).describe('Run a Redis cache.'),
    vlanTag: z.number().int().min(1).max(4094).default(50).describe('VLAN tag of the environment network.'),
  }),
  hints: {
    name: { words: ['called', 'named'], format: 'name' },
    databases: {
      words: ['database', 'databases', 'db'],
      synonyms: { postgres: ['postgresql', 'pg', 'psql'], mysql: ['mariadb', 'my sql'], mongodb: ['mongo'] },
    },
    cache: {
      whenTrue: ['redis', 'cache', 'caching'],
      whenFalse: ['no redis', 'no cache', 'without redis', 'without a cache'],
    },
    vlanTag: { words: ['vlan'], format: 'vlan' },
  },
  generate: () => {
    throw new Error('dev-environment: generate is not written yet');
  },
});
