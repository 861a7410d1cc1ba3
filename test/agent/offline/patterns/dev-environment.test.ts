import { describe, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('dev-environment', () => {
  it('reads the catalog examples', () => {
    expectDeploy('give me a dev environment with postgres and redis', {
      pattern: 'dev-environment',
      params: { name: 'dev', databases: ['postgres'], cache: true, vlanTag: 50 },
    });
    expectDeploy('set up a dev env called sandbox with mysql and mongo, no redis', {
      pattern: 'dev-environment',
      params: { name: 'sandbox', databases: ['mysql', 'mongodb'], cache: false },
    });
    expectDeploy('I need a development environment on VLAN 55', {
      pattern: 'dev-environment',
      params: { vlanTag: 55 },
    });
  });

  it('reads database synonyms and lists', () => {
    expectDeploy('dev env with postgresql, mariadb and mongodb', {
      pattern: 'dev-environment',
      params: { databases: ['postgres', 'mysql', 'mongodb'] },
    });
    expectDeploy('development environment using pg only', {
      pattern: 'dev-environment',
      params: { databases: ['postgres'] },
    });
  });

  it('turns the cache off in several ways', () => {
    expectDeploy('dev environment with mongo, without a cache', {
      pattern: 'dev-environment',
      params: { cache: false },
    });
    expectDeploy("a dev env, we don't need redis", { pattern: 'dev-environment', params: { cache: false } });
  });

  it('takes a quoted name and a typo', () => {
    expectDeploy('create a developement environment named "payments"', {
      pattern: 'dev-environment',
      params: { name: 'payments' },
    });
  });
});
