// What users do with pattern deployments on the sandbox servers, through the compiled CLI: a follow-up change
// re-planned under the same deployment name, several patterns side by side, and a rule the policies refuse.
import { describe, expect, it } from 'vitest';
import { CliProject, held } from '../support/cli-project.js';
import { apply, CLI_TIMEOUT, destroy, everything, resourcesOf } from './sandbox-cli.js';
import { addresses, generate } from './support.js';

describe.sequential('a game server and a follow-up', () => {
  const project = new CliProject('conductor-pattern-game');

  it(
    "puts the server's real address into the forward, the rule and the DNS record",
    () => {
      const run = apply(project, generate('game-server', { game: 'minecraft' }));
      expect(run.code, run.output).toBe(0);
      const resources = resourcesOf(project.inventory());
      const byName = (name: string) => resources.find((resource) => resource.name === name)!;
      const address = byName('minecraft').outputs.ipAddress;
      expect(address).toBe('10.20.0.10');
      expect(byName('minecraft-forward').properties.target).toBe(address);
      expect(byName('minecraft-allow').properties.destination).toBe(address);
      expect(byName('minecraft-dns').properties.value).toBe(address);
      const device = byName('minecraft-vlan').outputs.device;
      expect(device).toMatch(/^vlan\d+$/);
      expect(byName('minecraft-dhcp').properties.interface).toBe(device);
      expect(byName('minecraft-net').properties.parent).toBe(device);
    },
    CLI_TIMEOUT,
  );

  it(
    '"bump it to 8 GB" re-plans the same deployment and updates the container in place',
    () => {
      const before = held(project.inventory())['docker:container:minecraft'];
      expect(before).toBeDefined();
      const bumped = apply(
        project,
        generate('game-server', { game: 'minecraft', memoryGb: 8 }),
        'minecraft-8gb.json',
      );
      expect(bumped.code, bumped.output).toBe(0);
      expect(bumped.stdout).toContain('Apply complete: 1 changed, 7 unchanged');
      const inventory = project.inventory();
      expect(held(inventory)['docker:container:minecraft']).toBe(before);
      const container = resourcesOf(inventory).find((resource) => resource.name === 'minecraft')!;
      expect(container.properties.memory).toBe('8g');
      expect(destroy(project, 'minecraft').code).toBe(0);
      expect(everything(project.inventory())).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});

describe('patterns on the sandbox servers', () => {
  it('run side by side: their VLANs, subnets, names and DNS records do not collide', () => {
    const project = new CliProject('conductor-patterns-together');
    // Not expose-service beside web-app: the sandbox's HAProxy frontends cannot share port 443 (no host routing).
    const together = [
      generate('game-server', { game: 'minecraft' }),
      generate('web-app', { appName: 'shop', domain: 'shop.example.com' }),
      generate('web-app', { appName: 'blog', domain: 'blog.example.org', platform: 'aws' }),
      generate('dev-environment', {}),
      generate('database-cluster', { engine: 'postgres' }),
      generate('iot-network', { mqtt: true }),
      generate('vpn-access', {}),
      generate('media-server', {}),
      generate('firewall-rule', { port: 443, destination: '10.0.0.5' }),
    ];
    for (const deployment of together) {
      const run = apply(project, deployment);
      expect(run.code, `${deployment.name}: ${run.output}`).toBe(0);
    }
    const inventory = project.inventory();
    expect(everything(inventory)).toEqual(together.flatMap(addresses).sort());
    // Every reference was resolved before it was sent.
    for (const resource of resourcesOf(inventory)) {
      expect(JSON.stringify(resource.properties), `${resource.server}:${resource.name}`).not.toContain('${');
    }
    for (const deployment of together.reverse()) {
      const run = destroy(project, deployment.name);
      expect(run.code, `${deployment.name}: ${run.output}`).toBe(0);
    }
    expect(everything(project.inventory())).toEqual([]);
  }, 600_000);

  it(
    'a firewall rule the policies refuse is generated as asked and not applied',
    () => {
      const project = new CliProject('conductor-pattern-refused');
      const run = apply(project, generate('firewall-rule', {}), 'open-everything.json');
      expect(run.code, run.output).toBe(3);
      expect(run.output).toContain('no-any-to-any');
      expect(everything(project.inventory())).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});
