// "Which deployments do I have?": name, pattern, status, resource count and when each was last applied.
import { formatTable } from '../../review/format-table.js';
import type { StateStore } from '../../state/state-store.js';
import type { KnownWorld } from './known-resources.js';
import { finish, type QueryAnswer, type QueryFact, sourceNotes } from './query-answer.js';

export async function answerDeployments(world: KnownWorld, state: StateStore): Promise<QueryAnswer> {
  const counts = new Map<string, number>();
  for (const resource of world.resources)
    if (resource.deployment !== undefined)
      counts.set(resource.deployment, (counts.get(resource.deployment) ?? 0) + 1);
  const current = world.deployments.filter(
    (record) => record.status !== 'destroyed' || (counts.get(record.name) ?? 0) > 0,
  );
  const destroyed = world.deployments.filter((record) => !current.includes(record));
  const facts: QueryFact[] = [];
  for (const record of current) {
    const apply = record.lastApply ? await state.getApply(record.lastApply) : undefined;
    facts.push({
      subject: record.name,
      deployment: record.name,
      managed: true,
      values: {
        pattern: record.pattern ?? null,
        status: record.status,
        resources: counts.get(record.name) ?? 0,
        revision: record.revision,
        lastApply: apply?.finishedAt ?? apply?.startedAt ?? record.updatedAt,
      },
    });
  }
  const lines: string[] = [];
  if (facts.length === 0) lines.push('You have no deployments yet.');
  else {
    lines.push(`You have ${facts.length} deployment${facts.length > 1 ? 's' : ''}:`);
    lines.push(
      formatTable(
        ['DEPLOYMENT', 'PATTERN', 'STATUS', 'RESOURCES', 'LAST APPLY'],
        facts.map((fact) => [
          fact.subject,
          String(fact.values.pattern ?? '-'),
          String(fact.values.status),
          Number(fact.values.resources),
          shortTime(String(fact.values.lastApply)),
        ]),
      ),
    );
    for (const record of current) {
      if (record.status === 'failed')
        lines.push(`${record.name}: the last apply failed and part of it remains.`);
      if (record.status === 'applying')
        lines.push(`${record.name}: an apply is running or was interrupted (\`conductor recover\`).`);
    }
  }
  if (destroyed.length > 0)
    lines.push(`Destroyed earlier: ${destroyed.map((record) => record.name).join(', ')}.`);
  const unmanaged = world.resources.filter((resource) => resource.origin === 'live');
  if (unmanaged.length > 0) {
    const servers = [...new Set(unmanaged.map((resource) => resource.server))];
    lines.push(
      `The servers also hold ${unmanaged.length} resource${unmanaged.length > 1 ? 's' : ''} no deployment manages (on ${servers.join(', ')}); ask "what's on ${servers[0]}?" to see them.`,
    );
  }
  lines.push(...sourceNotes(world));
  return { form: 'deployments', text: finish(lines), facts };
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
}
