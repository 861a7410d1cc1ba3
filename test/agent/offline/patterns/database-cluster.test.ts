import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('database-cluster', () => {
  it('reads the catalog examples', () => {
    expectDeploy('deploy a 3 node postgres cluster', {
      pattern: 'database-cluster',
      params: { engine: 'postgres', replicas: 3 },
    });
    expectDeploy('I need a mysql 8.0 cluster with 5 replicas and 100GB each, reachable from 10.20.0.0/24', {
      pattern: 'database-cluster',
      params: { engine: 'mysql', version: '8.0', replicas: 5, storageGb: 100, allowFrom: ['10.20.0.0/24'] },
    });
    expectDeploy('redis cluster on vlan 45, backups nightly at 3am', {
      pattern: 'database-cluster',
      params: { engine: 'redis', vlanTag: 45, backupSchedule: '0 3 * * *' },
    });
  });

  it('never guesses the engine', () => {
    expectDeploy('a replicated database cluster with 5 nodes', {
      pattern: 'database-cluster',
      params: { replicas: 5 },
      missing: ['engine'],
    });
  });

  it('reads words, units and synonyms', () => {
    expectDeploy('postgresql cluster, five replicas, half a terabyte per node', {
      pattern: 'database-cluster',
      params: { engine: 'postgres', replicas: 5, storageGb: 512 },
    });
    expectDeploy('mongo cluster version 7 with 1TB disks', {
      pattern: 'database-cluster',
      params: { engine: 'mongodb', version: '7', storageGb: 1024 },
    });
  });

  it('reads schedules and several networks', () => {
    expectDeploy('mariadb cluster that 10.0.1.0/24 and 10.0.2.0/24 can reach, backups every sunday at 4am', {
      pattern: 'database-cluster',
      params: { engine: 'mysql', allowFrom: ['10.0.1.0/24', '10.0.2.0/24'], backupSchedule: '0 4 * * 0' },
    });
    expectDeploy('postgres cluster with hourly backups', {
      pattern: 'database-cluster',
      params: { backupSchedule: '0 * * * *' },
    });
  });
});
