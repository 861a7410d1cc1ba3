// Adapter for `@modelcontextprotocol/server-memory`, a knowledge graph of named entities. Conductor manages entities:
// the entity's name is both the resource name and its id; `entityType` and `observations` are its properties.
// The server has no "update entity" tool, so an update replaces the observations (delete the current ones, add the
// new ones) and a changed `entityType` means a new entity (replaceOn).
import type { ProviderResource } from '../../execute/provider-gateway.js';
import { defineAdapter } from '../adapter.js';
import { AdapterError } from '../adapter-error.js';
import type { ToolOutput } from '../tool-result.js';

interface Entity {
  name: string;
  entityType: string;
  observations: string[];
}

export const memoryAdapter = defineAdapter({
  name: 'memory',
  description: '@modelcontextprotocol/server-memory (knowledge graph entities)',
  detect: { tools: ['create_entities', 'open_nodes', 'delete_entities', 'read_graph'] },
  // add_observations on a missing entity: "Entity with name X not found".
  errors: [{ pattern: /not found/i, code: 'not-found' }],
  types: {
    entity: {
      description: 'An entity in the knowledge graph: a name, a type and a list of observations.',
      schema: {
        type: 'object',
        properties: {
          entityType: { type: 'string', description: 'What kind of thing the entity is, e.g. "service".' },
          observations: { type: 'array', items: { type: 'string' }, description: 'Facts about the entity.' },
        },
        required: ['entityType'],
        additionalProperties: false,
      },
      outputs: ['name', 'entityType', 'observations'],
      replaceOn: ['entityType'],
      create: {
        steps: [
          {
            tool: 'create_entities',
            arguments: ({ request }) => ({ entities: [entityFrom(request.name, request.properties)] }),
          },
        ],
        result: ({ request, output }) => {
          // create_entities skips a name that exists and reports only what it created: skipping is a refusal.
          const created = entitiesIn(output).find((entity) => entity.name === request.name);
          if (!created) {
            throw new AdapterError(
              'name-taken',
              `An entity named "${request.name}" already exists in the knowledge graph; choose another name or import the existing one.`,
            );
          }
          return { id: created.name, outputs: outputsOf(created) };
        },
      },
      read: {
        steps: [{ tool: 'open_nodes', arguments: ({ request }) => ({ names: [request.id] }) }],
        result: ({ request, output }) => {
          const entity = entitiesIn(output).find((candidate) => candidate.name === request.id);
          return entity ? resourceOf(entity) : undefined;
        },
      },
      update: {
        steps: [
          { tool: 'open_nodes', arguments: ({ request }) => ({ names: [request.id] }) },
          {
            tool: 'delete_observations',
            arguments: ({ request, results }) => ({
              deletions: [
                { entityName: request.id, observations: currentEntity(request.id, results[0]).observations },
              ],
            }),
          },
          {
            tool: 'add_observations',
            arguments: ({ request, results }) => {
              const current = currentEntity(request.id, results[0]);
              const desired = entityFrom(request.id, request.properties);
              if (desired.entityType !== current.entityType) {
                throw new AdapterError(
                  'invalid-properties',
                  `entityType cannot change in place (from "${current.entityType}" to "${desired.entityType}"): the entity must be replaced.`,
                );
              }
              return { observations: [{ entityName: request.id, contents: desired.observations }] };
            },
          },
        ],
        result: ({ request }) => ({ outputs: outputsOf(entityFrom(request.id, request.properties)) }),
      },
      delete: {
        steps: [{ tool: 'delete_entities', arguments: ({ request }) => ({ entityNames: [request.id] }) }],
        result: () => undefined,
      },
      list: {
        steps: [{ tool: 'read_graph', arguments: () => ({}) }],
        result: ({ output }) => entitiesIn(output).map(resourceOf),
      },
    },
  },
});

function entityFrom(name: string, properties: Record<string, unknown>): Entity {
  const { entityType, observations } = properties;
  if (typeof entityType !== 'string' || entityType === '') {
    throw new AdapterError('invalid-properties', 'entityType must be a non-empty string, e.g. "service".');
  }
  if (
    observations !== undefined &&
    !(Array.isArray(observations) && observations.every((item) => typeof item === 'string'))
  ) {
    throw new AdapterError('invalid-properties', 'observations must be a list of strings.');
  }
  const unknown = Object.keys(properties).filter((key) => key !== 'entityType' && key !== 'observations');
  if (unknown.length > 0) {
    throw new AdapterError(
      'invalid-properties',
      `An entity has only entityType and observations; remove ${unknown.join(', ')}.`,
    );
  }
  return { name, entityType, observations: (observations as string[] | undefined) ?? [] };
}

function currentEntity(name: string, output: ToolOutput | undefined): Entity {
  const entity = output ? entitiesIn(output).find((candidate) => candidate.name === name) : undefined;
  if (!entity)
    throw new AdapterError('not-found', `There is no entity named "${name}" in the knowledge graph.`);
  return entity;
}

function entitiesIn(output: ToolOutput): Entity[] {
  const entities = (output.data as { entities?: unknown } | undefined)?.entities;
  if (!Array.isArray(entities)) {
    throw new AdapterError(
      'unexpected-result',
      `Expected { entities: [...] } from the server, got: ${output.text.slice(0, 200)}`,
    );
  }
  return entities.filter(
    (entity): entity is Entity =>
      typeof entity === 'object' && entity !== null && typeof (entity as Entity).name === 'string',
  );
}

function resourceOf(entity: Entity): ProviderResource {
  return {
    id: entity.name,
    name: entity.name,
    type: 'entity',
    properties: { entityType: entity.entityType, observations: [...(entity.observations ?? [])] },
    outputs: outputsOf(entity),
  };
}

function outputsOf(entity: Entity): Record<string, unknown> {
  return { name: entity.name, entityType: entity.entityType, observations: [...(entity.observations ?? [])] };
}
