// Answers a question about what exists ("what runs on VLAN 20?", "which deployments do I have?", "where is
// minecraft?", "what's on docker?", "what's exposed to the internet?") from state, and from the live inventory when
// one is given. Read-only: nothing here changes state or calls a create, update or delete.
import { type KnownResource, type KnownWorld, loadKnownWorld } from './known-resources.js';
import type { QueryAnswer, QueryContext } from './query-answer.js';
import { answerDeployments } from './query-deployments.js';
import { answerExposure } from './query-exposure.js';
import { answerSearch } from './query-search.js';
import { answerServer } from './query-server.js';
import { answerDeploymentSubject, answerResourceSubject, subjectNames } from './query-subject.js';
import { answerVlan, answerVlanList } from './query-vlan.js';

const VLAN_TAG = /\bvlan\s*(?:tag\s*|id\s*|number\s*)?#?\s*(\d{1,4})\b/i;
const VLAN_LIST = /\bvlans\b|\bwhich vlan\b|\bwhat vlan\b/i;
const EXPOSURE =
  /\b(exposed|exposure|expose|internet|public(ly)?|open to|from outside|outside world|port ?forward(s|ed|ing)?|forwarded|wan)\b/i;
const DEPLOYMENT_LIST =
  /\bwhat(?:'s|\u2019s| is| have i| did i| do i have)\s+(?:got\s+)?(?:deployed|running)\b|\blist (?:everything|all)\b/i;

export async function answerQuery(question: string, context: QueryContext): Promise<QueryAnswer> {
  const world = await loadKnownWorld(context);
  const text = question.trim();

  const vlan = VLAN_TAG.exec(text);
  if (vlan) return answerVlan(world, Number(vlan[1]));
  if (VLAN_LIST.test(text)) return answerVlanList(world);

  const subject = findSubject(text, world);
  if (EXPOSURE.test(text)) {
    if (subject?.deployment)
      return answerExposure(
        world,
        world.resources.filter((resource) => resource.deployment === subject.deployment),
      );
    return answerExposure(world, subject?.resource ? [subject.resource] : undefined);
  }
  if (subject?.deployment)
    return answerDeploymentSubject(
      world,
      subject.deployment,
      world.deployments.find((record) => record.name === subject.deployment),
    );
  if (subject?.resource) return answerResourceSubject(world, subject.resource);
  const server = findServer(text, world);
  // "What's running on docker?" is about the server; "which deployments do I have?" about deployments.
  if (server && !/\bdeployments\b/i.test(text)) return answerServer(world, server);
  if (DEPLOYMENT_LIST.test(text) || /\bdeploy(ed|ments?)\b/i.test(text))
    return answerDeployments(world, context.state);
  return answerSearch(world, text);
}

interface Subject {
  deployment?: string;
  resource?: KnownResource;
}

/** The deployment or resource the question names; the longest name wins, deployments before resources. */
function findSubject(question: string, world: KnownWorld): Subject | undefined {
  const spoken = ` ${normalize(question)} `;
  let best: { length: number; subject: Subject; rank: number } | undefined;
  for (const name of subjectNames(world)) {
    const words = normalize(name.words);
    if (words.length < 2 || !spoken.includes(` ${words} `)) continue;
    const subject: Subject = name.deployment
      ? { deployment: name.deployment }
      : name.resource
        ? { resource: name.resource }
        : {};
    // A resource named like its deployment (container "minecraft" in deployment "minecraft") means the deployment.
    const rank = name.deployment ? 2 : name.resource?.origin === 'state' ? 1 : 0;
    if (!best || words.length > best.length || (words.length === best.length && rank > best.rank))
      best = { length: words.length, subject, rank };
  }
  return best?.subject;
}

function findServer(question: string, world: KnownWorld): string | undefined {
  const spoken = ` ${normalize(question)} `;
  return world.servers.find((server) => spoken.includes(` ${normalize(server)} `));
}

/** Lower case, `-`, `_` and `.` between words read as spaces, other punctuation dropped. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/'s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export type { FactValue, QueryAnswer, QueryContext, QueryFact, QueryForm } from './query-answer.js';
