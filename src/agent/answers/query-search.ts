// The fallback: find the question's words in deployment names, resource names, types and descriptions, and say
// honestly when nothing matches instead of guessing.
import { maskedShape } from './describe-resource.js';
import type { KnownWorld } from './known-resources.js';
import { dnsEntryOf } from './network-facts.js';
import { finish, type QueryAnswer, resourceFact, resourceLine, sourceNotes } from './query-answer.js';

const STOP_WORDS = new Set(
  'a an and any are can could did do does for from have how i in is it its me my of on or show tell that the there these this to up us was we what whats when where which who why will with you your all about many much list give running runs run there anything something everything'.split(
    ' ',
  ),
);

export const SUGGESTIONS = [
  'what runs on VLAN 20?',
  'which deployments do I have?',
  'where is minecraft? (or: what is the IP of minecraft?)',
  "what's on docker?",
  "what's exposed to the internet?",
];

export function questionWords(question: string): string[] {
  return [
    ...new Set(
      question
        .toLowerCase()
        .replace(/'s\b/g, '')
        .split(/[^a-z0-9._-]+/)
        .map((word) => word.replace(/^[._-]+|[._-]+$/g, ''))
        .filter((word) => word.length >= 3 && !STOP_WORDS.has(word)),
    ),
  ];
}

export function answerSearch(world: KnownWorld, question: string): QueryAnswer {
  const words = questionWords(question);
  const matches = world.resources.filter((resource) => {
    const description = resource.properties.description;
    const haystack = [
      resource.name,
      resource.type,
      resource.deployment ?? '',
      typeof description === 'string' ? description : '',
      dnsEntryOf(maskedShape(resource))?.fqdn ?? '',
    ]
      .join(' ')
      .toLowerCase();
    return words.some((word) => haystack.includes(word));
  });
  if (matches.length === 0) {
    const deployments = world.deployments.filter((record) => record.status !== 'destroyed');
    return {
      form: 'unanswered',
      text: finish([
        `I can't answer that from what Conductor knows${words.length > 0 ? `: nothing in state${world.inventoryRead ? ' or on the servers' : ''} matches ${words.map((word) => `"${word}"`).join(', ')}` : ''}.`,
        deployments.length > 0
          ? `Deployments I know: ${deployments.map((record) => record.name).join(', ')}.`
          : 'State holds no deployments yet.',
        `Questions I can answer: ${SUGGESTIONS.join('; ')}.`,
      ]),
      facts: [],
    };
  }
  const lines = [
    `I'm not sure what you're asking, but these match ${words.map((word) => `"${word}"`).join(', ')}:`,
    ...matches.map(
      (resource) =>
        `${resourceLine(resource)} (${resource.deployment ? `deployment ${resource.deployment}` : 'not managed by Conductor'})`,
    ),
    ...sourceNotes(world),
  ];
  return { form: 'search', text: finish(lines), facts: matches.map((resource) => resourceFact(resource)) };
}
