// A development environment: a VLAN with databases and an optional Redis cache as containers.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { HOME_ZONE, placeholderSecret, prefixed } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';

export default definePattern({
  name: 'dev-environment',
  description:
    'A development environment on its own VLAN: one or more databases (PostgreSQL, MySQL, MongoDB) and an optional Redis cache as containers, with DNS names.',
  examples: [
    'give me a dev environment with postgres and redis',
    'set up a dev env called sandbox with mysql and mongo, no redis',
    'I need a development environment on VLAN 55',
  ],
  keywords: [
    'dev',
    'development',
    'dev environment',
    'dev env',
    'devenv',
    'playground',
    'workspace',
    'test',
    'testing',
    'sandbox',
  ],
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
  generate: (params) => generateDevEnvironment(params),
});

type Service = 'postgres' | 'mysql' | 'mongodb' | 'redis';

interface ServiceImage {
  title: string;
  image: string;
  port: number;
  /** Where the data lives; no volume when absent (a cache). */
  dataPath?: string;
  env?: (environment: string) => Record<string, string>;
  command?: string[];
  /** Env entries that hold secrets. */
  secrets?: string[];
}

const SERVICES: Readonly<Record<Service, ServiceImage>> = {
  postgres: {
    title: 'PostgreSQL',
    image: 'postgres:17',
    port: 5432,
    dataPath: '/var/lib/postgresql/data',
    env: (environment) => ({
      POSTGRES_DB: environment.replaceAll('-', '_'),
      POSTGRES_USER: 'dev',
      POSTGRES_PASSWORD: placeholderSecret('postgres-password'),
    }),
    secrets: ['POSTGRES_PASSWORD'],
  },
  mysql: {
    title: 'MySQL',
    image: 'mysql:8.4',
    port: 3306,
    dataPath: '/var/lib/mysql',
    env: (environment) => ({
      MYSQL_DATABASE: environment.replaceAll('-', '_'),
      MYSQL_USER: 'dev',
      MYSQL_PASSWORD: placeholderSecret('mysql-password'),
      MYSQL_ROOT_PASSWORD: placeholderSecret('mysql-root-password'),
    }),
    secrets: ['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD'],
  },
  mongodb: {
    title: 'MongoDB',
    image: 'mongo:8.0',
    port: 27017,
    dataPath: '/data/db',
    env: () => ({
      MONGO_INITDB_ROOT_USERNAME: 'dev',
      MONGO_INITDB_ROOT_PASSWORD: placeholderSecret('mongodb-password'),
    }),
    secrets: ['MONGO_INITDB_ROOT_PASSWORD'],
  },
  redis: {
    title: 'Redis',
    image: 'redis:7.4',
    port: 6379,
    // A cache: nothing to keep across restarts.
    command: ['redis-server', '--save', '', '--appendonly', 'no'],
  },
};

/** Fixed addresses of the services, in this order: .10 postgres, .11 mysql, .12 mongodb, .13 redis. */
const SERVICE_HOSTS: Readonly<Record<Service, number>> = { postgres: 10, mysql: 11, mongodb: 12, redis: 13 };

interface DevEnvironmentParams {
  name: string;
  databases: Array<'postgres' | 'mysql' | 'mongodb'>;
  cache: boolean;
  vlanTag: number;
}

function generateDevEnvironment(params: DevEnvironmentParams): PatternDeployment {
  const name = prefixed('dev', params.name);
  const zone = `${name}.${HOME_ZONE}`;
  const network = vlanNetwork({
    prefix: name,
    tag: params.vlanTag,
    purpose: `Development environment ${name}`,
    dhcp: { from: 100, to: 200, domain: zone },
    docker: true,
  });
  // Each database once, in a fixed order: "mysql and postgres" and "postgres, mysql" are the same environment.
  const services = (['postgres', 'mysql', 'mongodb', 'redis'] as const).filter((service) =>
    service === 'redis' ? params.cache : params.databases.includes(service),
  );
  const resources: PatternResource[] = [...network.resources];
  for (const service of services) {
    const spec = SERVICES[service];
    const container = `${name}-${service}`;
    const volume = `${container}-data`;
    if (spec.dataPath) {
      resources.push({
        server: 'docker',
        type: 'volume',
        name: volume,
        properties: { labels: { purpose: `${spec.title} data` } },
      });
    }
    resources.push({
      server: 'docker',
      type: 'container',
      name: container,
      properties: {
        image: spec.image,
        network: network.dockerNetwork,
        ipAddress: network.subnet.host(SERVICE_HOSTS[service]),
        ports: [`${spec.port}:${spec.port}/tcp`],
        ...(spec.dataPath ? { volumes: [`${volume}:${spec.dataPath}`] } : {}),
        ...(spec.env ? { env: spec.env(name) } : {}),
        ...(spec.command ? { command: spec.command } : {}),
        restart: 'unless-stopped',
      },
      dependsOn: [network.dockerNetwork!, ...(spec.dataPath ? [volume] : [])],
      ...(spec.secrets ? { sensitive: spec.secrets.map((key) => `env.${key}`) } : {}),
    });
    resources.push(
      dnsRecord(
        `${container}-dns`,
        `${service}.${zone}`,
        containerAddress(container),
        `${spec.title} of ${name}`,
      ),
    );
  }
  return {
    name,
    description: `Development environment ${name} on VLAN ${params.vlanTag}: ${services.map((service) => SERVICES[service].title).join(', ')}`,
    resources,
  };
}
