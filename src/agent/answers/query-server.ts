// "What's on docker?": everything one server holds, by deployment, with what the live inventory adds.
import { groupByDeployment, type KnownWorld } from './known-resources.js';
import { finish, groupedLines, type QueryAnswer, resourceFact, sourceNotes } from './query-answer.js';

export function answerServer(world: KnownWorld, server: string): QueryAnswer {
  const resources = world.resources.filter((resource) => resource.server === server);
  const lines: string[] = [];
  const unreachable = world.unreachable.find((entry) => entry.server === server);
  if (resources.length === 0) {
    lines.push(
      unreachable
        ? `${server} could not be reached, and state records nothing on it.`
        : `${server} holds nothing${world.inventoryRead ? '' : ' that state knows of'}.`,
    );
  } else {
    const managed = resources.filter((resource) => resource.origin === 'state').length;
    const unmanaged = resources.length - managed;
    lines.push(
      `${server} holds ${resources.length} resource${resources.length > 1 ? 's' : ''}` +
        (unmanaged > 0 ? ` (${unmanaged} not managed by Conductor)` : '') +
        ':',
    );
    lines.push(...groupedLines(groupByDeployment(resources)));
  }
  lines.push(...sourceNotes(world, [server]));
  return { form: 'server', text: finish(lines), facts: resources.map((resource) => resourceFact(resource)) };
}
