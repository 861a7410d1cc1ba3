// A replicated database cluster on its own VLAN, reachable only from the networks allowed, with nightly backups.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { HOME_ZONE, placeholderSecret } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';

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
      .array(z.cidrv4())
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
  generate: (params) => generateDatabaseCluster(params),
});

type Engine = 'postgres' | 'mysql' | 'mongodb' | 'redis';

interface EngineSpec {
  title: string;
  /** Bitnami's images: they set up replication from environment variables. */
  image: string;
  defaultVersion: string;
  port: number;
  dataPath: string;
  /** The first node's env (the primary), and the others' (replicas of the primary at `primary`). */
  primaryEnv: (cluster: string) => Record<string, string>;
  replicaEnv: (cluster: string, primary: string) => Record<string, string>;
  secrets: string[];
  /** How tiredofit/db-backup names the engine, and the user it connects as. */
  backupType: string;
  backupUser: string;
}

const ADMIN_PASSWORD = placeholderSecret('database-password');
const REPLICATION_PASSWORD = placeholderSecret('replication-password');

const ENGINES: Readonly<Record<Engine, EngineSpec>> = {
  postgres: {
    title: 'PostgreSQL',
    image: 'bitnami/postgresql',
    defaultVersion: '17',
    port: 5432,
    dataPath: '/bitnami/postgresql',
    primaryEnv: () => ({
      POSTGRESQL_REPLICATION_MODE: 'master',
      POSTGRESQL_REPLICATION_USER: 'replicator',
      POSTGRESQL_REPLICATION_PASSWORD: REPLICATION_PASSWORD,
      POSTGRESQL_PASSWORD: ADMIN_PASSWORD,
    }),
    replicaEnv: (_cluster, primary) => ({
      POSTGRESQL_REPLICATION_MODE: 'slave',
      POSTGRESQL_REPLICATION_USER: 'replicator',
      POSTGRESQL_REPLICATION_PASSWORD: REPLICATION_PASSWORD,
      POSTGRESQL_MASTER_HOST: primary,
      POSTGRESQL_MASTER_PORT_NUMBER: '5432',
      POSTGRESQL_PASSWORD: ADMIN_PASSWORD,
    }),
    secrets: ['POSTGRESQL_REPLICATION_PASSWORD', 'POSTGRESQL_PASSWORD'],
    backupType: 'pgsql',
    backupUser: 'postgres',
  },
  mysql: {
    title: 'MySQL',
    image: 'bitnami/mysql',
    defaultVersion: '8.4',
    port: 3306,
    dataPath: '/bitnami/mysql/data',
    primaryEnv: () => ({
      MYSQL_REPLICATION_MODE: 'master',
      MYSQL_REPLICATION_USER: 'replicator',
      MYSQL_REPLICATION_PASSWORD: REPLICATION_PASSWORD,
      MYSQL_ROOT_PASSWORD: ADMIN_PASSWORD,
    }),
    replicaEnv: (_cluster, primary) => ({
      MYSQL_REPLICATION_MODE: 'slave',
      MYSQL_REPLICATION_USER: 'replicator',
      MYSQL_REPLICATION_PASSWORD: REPLICATION_PASSWORD,
      MYSQL_MASTER_HOST: primary,
      MYSQL_MASTER_PORT_NUMBER: '3306',
      MYSQL_MASTER_ROOT_PASSWORD: ADMIN_PASSWORD,
    }),
    secrets: ['MYSQL_REPLICATION_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_MASTER_ROOT_PASSWORD'],
    backupType: 'mysql',
    backupUser: 'root',
  },
  mongodb: {
    title: 'MongoDB',
    image: 'bitnami/mongodb',
    defaultVersion: '8.0',
    port: 27017,
    dataPath: '/bitnami/mongodb',
    primaryEnv: (cluster) => ({
      MONGODB_REPLICA_SET_MODE: 'primary',
      MONGODB_REPLICA_SET_NAME: cluster,
      MONGODB_REPLICA_SET_KEY: REPLICATION_PASSWORD,
      MONGODB_ROOT_PASSWORD: ADMIN_PASSWORD,
    }),
    replicaEnv: (cluster, primary) => ({
      MONGODB_REPLICA_SET_MODE: 'secondary',
      MONGODB_REPLICA_SET_NAME: cluster,
      MONGODB_REPLICA_SET_KEY: REPLICATION_PASSWORD,
      MONGODB_INITIAL_PRIMARY_HOST: primary,
      MONGODB_INITIAL_PRIMARY_ROOT_PASSWORD: ADMIN_PASSWORD,
    }),
    secrets: ['MONGODB_REPLICA_SET_KEY', 'MONGODB_ROOT_PASSWORD', 'MONGODB_INITIAL_PRIMARY_ROOT_PASSWORD'],
    backupType: 'mongo',
    backupUser: 'root',
  },
  redis: {
    title: 'Redis',
    image: 'bitnami/redis',
    defaultVersion: '7.4',
    port: 6379,
    dataPath: '/bitnami/redis/data',
    primaryEnv: () => ({ REDIS_REPLICATION_MODE: 'master', REDIS_PASSWORD: ADMIN_PASSWORD }),
    replicaEnv: (_cluster, primary) => ({
      REDIS_REPLICATION_MODE: 'slave',
      REDIS_MASTER_HOST: primary,
      REDIS_MASTER_PORT_NUMBER: '6379',
      REDIS_MASTER_PASSWORD: ADMIN_PASSWORD,
      REDIS_PASSWORD: ADMIN_PASSWORD,
    }),
    secrets: ['REDIS_PASSWORD', 'REDIS_MASTER_PASSWORD'],
    backupType: 'redis',
    backupUser: 'default',
  },
};

/** Node n (1-based) gets host 10 + n: .11 is the primary. The backup job sits at .30. */
const FIRST_NODE_HOST = 11;
const BACKUP_HOST = 30;

interface DatabaseClusterParams {
  engine: Engine;
  replicas: number;
  version?: string;
  vlanTag: number;
  allowFrom?: string[];
  storageGb: number;
  backupSchedule: string;
}

/**
 * The cluster's own VLAN and Docker network; one container per node with a volume each (labelled with the storage it
 * is meant to have: local Docker volumes cannot be sized); a backup job on the backupSchedule with its own volume; and
 * firewall rules on the VLAN's interface (outbound, so they apply whichever network the client comes from) that pass
 * the allowed networks to the database port and block everyone else.
 */
function generateDatabaseCluster(params: DatabaseClusterParams): PatternDeployment {
  const spec = ENGINES[params.engine];
  const name = `${params.engine}-cluster`;
  const network = vlanNetwork({
    prefix: name,
    tag: params.vlanTag,
    purpose: `${spec.title} cluster`,
    docker: true,
  });
  const image = `${spec.image}:${params.version ?? spec.defaultVersion}`;
  const primary = `${name}-1`;
  const primaryAddress = containerAddress(primary);
  const storage = `${params.storageGb}G`;
  const resources: PatternResource[] = [...network.resources];

  for (let node = 1; node <= params.replicas; node++) {
    const container = `${name}-${node}`;
    const volume = `${container}-data`;
    const env = node === 1 ? spec.primaryEnv(name) : spec.replicaEnv(name, primaryAddress);
    resources.push(
      {
        server: 'docker',
        type: 'volume',
        name: volume,
        properties: { labels: { purpose: `${spec.title} node ${node} data`, size: storage } },
      },
      {
        server: 'docker',
        type: 'container',
        name: container,
        properties: {
          image,
          network: network.dockerNetwork,
          ipAddress: network.subnet.host(FIRST_NODE_HOST + node - 1),
          ports: [`${spec.port}:${spec.port}/tcp`],
          volumes: [`${volume}:${spec.dataPath}`],
          env,
          labels: { role: node === 1 ? 'primary' : 'replica', cluster: name },
          restart: 'unless-stopped',
        },
        dependsOn: [network.dockerNetwork!, volume],
        sensitive: spec.secrets.filter((key) => key in env).map((key) => `env.${key}`),
      },
    );
  }

  const backupVolume = `${name}-backups`;
  resources.push(
    {
      server: 'docker',
      type: 'volume',
      name: backupVolume,
      properties: { labels: { purpose: `${spec.title} backups` } },
    },
    {
      server: 'docker',
      type: 'container',
      name: `${name}-backup`,
      properties: {
        image: 'tiredofit/db-backup:latest',
        network: network.dockerNetwork,
        ipAddress: network.subnet.host(BACKUP_HOST),
        volumes: [`${backupVolume}:/backup`],
        env: {
          CONTAINER_ENABLE_MONITORING: 'FALSE',
          DEFAULT_BACKUP_BEGIN: params.backupSchedule,
          // A week of backups, in minutes.
          DEFAULT_CLEANUP_TIME: '10080',
          DB01_TYPE: spec.backupType,
          DB01_HOST: primaryAddress,
          DB01_PORT: String(spec.port),
          ...(params.engine === 'postgres' || params.engine === 'mysql' ? { DB01_NAME: 'ALL' } : {}),
          DB01_USER: spec.backupUser,
          DB01_PASS: ADMIN_PASSWORD,
        },
        labels: { role: 'backup', cluster: name, schedule: params.backupSchedule },
        restart: 'unless-stopped',
      },
      dependsOn: [network.dockerNetwork!, backupVolume],
      sensitive: ['env.DB01_PASS'],
    },
  );

  const allowed = params.allowFrom && params.allowFrom.length > 0 ? params.allowFrom : [network.subnet.cidr];
  const allowRules = allowed.map((_source, index) => `${name}-allow-${index + 1}`);
  allowed.forEach((source, index) => {
    resources.push({
      server: 'opnsense',
      type: 'firewall:rule',
      name: allowRules[index]!,
      properties: {
        interface: network.device,
        direction: 'out',
        action: 'pass',
        protocol: 'tcp',
        source,
        destination: network.subnet.cidr,
        destinationPort: spec.port,
        description: `${spec.title} cluster: allow ${source}`,
      },
      // One after the other, so the rules are evaluated in the order written.
      dependsOn: index === 0 ? [] : [allowRules[index - 1]!],
    });
  });
  resources.push(
    {
      server: 'opnsense',
      type: 'firewall:rule',
      name: `${name}-block`,
      properties: {
        interface: network.device,
        direction: 'out',
        action: 'block',
        protocol: 'tcp',
        source: 'any',
        destination: network.subnet.cidr,
        destinationPort: spec.port,
        log: true,
        description: `${spec.title} cluster: block everyone else`,
      },
      // After the pass rules: the first matching rule wins.
      dependsOn: allowRules,
    },
    dnsRecord(
      `${name}-dns`,
      `${params.engine}.db.${HOME_ZONE}`,
      primaryAddress,
      `${spec.title} cluster primary`,
    ),
  );
  return {
    name,
    description: `${spec.title} ${params.version ?? spec.defaultVersion} cluster of ${params.replicas} on VLAN ${params.vlanTag}, ${params.storageGb} GB each, backups at "${params.backupSchedule}"`,
    resources,
  };
}
