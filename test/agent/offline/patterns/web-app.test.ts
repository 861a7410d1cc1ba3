import { describe, expect, it } from 'vitest';
import { expectDeploy } from '../parse.js';

describe('web-app', () => {
  it('reads the catalog examples', () => {
    expectDeploy('deploy my shop app at shop.example.com', {
      pattern: 'web-app',
      params: {
        appName: 'shop',
        domain: 'shop.example.com',
        image: 'shop:latest',
        minInstances: 2,
        maxInstances: 4,
      },
    });
    expectDeploy('run ghcr.io/acme/api:2.1 as "api" on api.example.com with 3 instances', {
      pattern: 'web-app',
      params: { appName: 'api', domain: 'api.example.com', image: 'ghcr.io/acme/api:2.1', minInstances: 3 },
    });
    expectDeploy('set up a load balanced web app called blog for blog.example.org on aws', {
      pattern: 'web-app',
      params: { appName: 'blog', domain: 'blog.example.org', platform: 'aws' },
    });
  });

  it('never guesses the name or the domain', () => {
    expectDeploy('deploy a web app', { pattern: 'web-app', missing: ['appName', 'domain'] });
    expectDeploy('put a website on www.example.net', {
      pattern: 'web-app',
      params: { domain: 'www.example.net' },
      missing: ['appName'],
    });
    expectDeploy('I need a web app named crm', {
      pattern: 'web-app',
      params: { appName: 'crm' },
      missing: ['domain'],
    });
  });

  it('tells minimum from maximum instances', () => {
    expectDeploy('web app called shop on shop.example.com with at least 3 and up to 10 instances', {
      pattern: 'web-app',
      params: { minInstances: 3, maxInstances: 10 },
    });
    expectDeploy('website named docs at docs.example.com, 2 to 6 replicas', {
      pattern: 'web-app',
      params: { appName: 'docs', minInstances: 2, maxInstances: 6 },
    });
    expectDeploy('app "wiki" at wiki.example.com scaling up to 8 instances', {
      pattern: 'web-app',
      params: { maxInstances: 8, minInstances: 2 },
    });
  });

  it('reads the port, the health path and the platform', () => {
    expectDeploy(
      'deploy the billing app at billing.example.com on amazon; it listens on port 3000, health check /status',
      {
        pattern: 'web-app',
        params: { appName: 'billing', port: 3000, healthPath: '/status', platform: 'aws' },
      },
    );
  });

  it('finds the name before or after the word app, or after "as" and "call it"', () => {
    expectDeploy('deploy app portal to portal.example.com', {
      pattern: 'web-app',
      params: { appName: 'portal' },
    });
    expectDeploy('my blog should run at blog.example.org with image ghost:5, call it blog', {
      pattern: 'web-app',
      params: { appName: 'blog', image: 'ghost:5', port: 8080 },
    });
  });

  it('reads numbers in words', () => {
    expectDeploy('web app called shop at shop.example.com with four instances', {
      pattern: 'web-app',
      params: { minInstances: 4 },
    });
  });

  it('takes an image from a registry', () => {
    const intent = expectDeploy('deploy registry.gitlab.com/team/portal:v3 as portal on portal.example.com', {
      pattern: 'web-app',
      params: {
        appName: 'portal',
        image: 'registry.gitlab.com/team/portal:v3',
        domain: 'portal.example.com',
      },
    });
    expect(intent.params?.image).not.toBe('portal:latest');
  });
});
