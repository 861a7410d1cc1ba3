// Applying pattern deployments with the compiled CLI on the sandbox servers, each test in a project of its own
// (CONDUCTOR_HOME, sandbox data, state), so one failure leaves nothing behind for the next.
import { expect } from 'vitest';
import type { Deployment } from '../../src/model/resource.js';
import { CliProject, held, type Inventory } from '../support/cli-project.js';
import { addresses } from './support.js';

/** Each apply or destroy starts the six sandbox servers; on a busy machine that takes a while. */
export const CLI_TIMEOUT = 180_000;

export function everything(inventory: Inventory): string[] {
  return Object.keys(held(inventory)).sort();
}

export function resourcesOf(inventory: Inventory) {
  return inventory.servers.flatMap((server) =>
    server.resources.map((resource) => ({ server: server.name, ...resource })),
  );
}

export function apply(project: CliProject, deployment: Deployment, file = `${deployment.name}.json`) {
  project.write(file, deployment);
  return project.run(['apply', '-f', file, '--yes']);
}

export function destroy(project: CliProject, name: string) {
  return project.run(['destroy', name, '--yes']);
}

/**
 * Applies the deployment to an empty sandbox, checks that the servers hold exactly its resources with every reference
 * resolved and that state records it, destroys it and checks that nothing is left.
 */
export function applyAndDestroy(deployment: Deployment): void {
  const project = new CliProject('conductor-pattern');
  const applied = apply(project, deployment);
  expect(applied.code, applied.output).toBe(0);
  expect(applied.stdout).toContain(`Apply complete: ${deployment.resources.length} changed`);

  const inventory = project.inventory();
  expect(everything(inventory)).toEqual(addresses(deployment).sort());
  for (const resource of resourcesOf(inventory)) {
    expect(JSON.stringify(resource.properties), `${resource.server}:${resource.name}`).not.toContain('${');
  }
  expect(project.deployment(deployment.name)).toMatchObject({ resources: deployment.resources.length });

  const destroyed = destroy(project, deployment.name);
  expect(destroyed.code, destroyed.output).toBe(0);
  expect(everything(project.inventory())).toEqual([]);
}
