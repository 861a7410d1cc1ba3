// What Conductor does not do, said plainly enough to tell without a model: things no pattern builds ("a kubernetes
// cluster", "a mail server", "pi-hole"), errands that are not infrastructure ("buy me a switch", "translate this"),
// shell commands ("run rm -rf /"), and removing everything at once ("delete all firewall rules"). The parser answers
// these with `unsupported` instead of stretching the nearest pattern over them.
import type { Pattern } from '../pattern.js';
import { describeParams } from './param-spec.js';
import { phraseWords, type Span, sameWord, tokenize } from './text.js';

/**
 * Well-known things people self-host that no built-in pattern deploys, each with the words that name it. A pattern
 * that names one of them itself (a user pattern with the keyword "kubernetes") takes it back into scope.
 */
const OUT_OF_SCOPE: ReadonlyArray<{ thing: string; pattern: RegExp }> = [
  {
    thing: 'Kubernetes',
    pattern: /\b(?:kubernetes|k8s|k3s|microk8s|openshift|rancher|nomad|docker\s+swarm|control\s+plane)\b/i,
  },
  {
    thing: 'a mail server',
    pattern:
      /\b(?:e?-?mail\s+(?:server|relay|service)|mailserver|postfix|dovecot|exchange\s+server|smtp\s+server)\b/i,
  },
  { thing: 'a DNS ad blocker', pattern: /\b(?:pi-?\s?hole|adguard(?:\s+home)?|ad\s*-?block(?:er|ing)?)\b/i },
  { thing: 'a directory service', pattern: /\b(?:active\s+directory|ldap|domain\s+controller|freeipa)\b/i },
  {
    thing: 'a virtual machine',
    pattern: /\b(?:(?:a|an|new|some)\s+(?:new\s+)?(?:virtual\s+machines?|vms?)|proxmox|esxi|hyper-?v)\b/i,
  },
  { thing: 'a file share', pattern: /\b(?:samba|smb\s+share|nfs\s+share|file\s+share)\b/i },
  { thing: 'a print server', pattern: /\bprint\s+server\b/i },
];

/** Errands that are not infrastructure, as the request's main verb. */
const ERRAND =
  /^(?:(?:hey|hi|ok|so|please|conductor)[,\s]+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:buy|order|purchase|shop\s+for|translate|book|reserve|remind\s+me|sing|compose|summari[sz]e\s+(?:this|the\s+(?:article|book|news))|write\s+(?:me\s+)?(?:a|an|some)\s+(?:poem|story|essay|song|haiku|joke|limerick|letter|email|cover\s+letter|tweet)|tell\s+me\s+a\s+(?:joke|story)|send\s+(?:an?\s+)?(?:email|e-mail|text|message))\b/i;

/** Commands for a shell, which Conductor never runs: it plans resources through patterns. */
const SHELL =
  /(?:\brm\s+-[a-z]*[rf]|\bsudo\s+\S|\bchmod\s+[0-7+]|\bmkfs\b|\bdd\s+if=|:\(\)\s*\{|\b(?:run|execute|exec)\s+(?:this\s+|the\s+)?(?:command|script|shell|bash|cmd)\b|\bcurl\s+\S+\s*\|\s*(?:ba)?sh\b|`[^`]*\b(?:rm|sudo|curl|wget|bash|sh)\b[^`]*`)/i;

/**
 * "delete all firewall rules", "wipe everything", "tear down every deployment": removing everything at once is not
 * one deployment's teardown. The whole clause, so the rest of a compound request still counts.
 */
const MASS_REMOVAL =
  /\b(?:delete|remove|destroy|wipe|nuke|drop|kill|purge|erase|tear\s+down|take\s+down|shut\s+down|get\s+rid\s+of|clear)\s+(?:out\s+)?(?:(?:all|every|each)\b(?:\s+(?:of\s+)?(?:the|my|our|your|these|those|them|it))?(?:\s+[\w-]+){0,3}|everything|it\s+all|the\s+(?:whole|entire)\s+(?:thing|lot|setup|homelab|lab|network|infrastructure|stack))[^.;!?\n]*/gi;

const TRAFFIC =
  /\b(?:traffic|packets?|ports?|connections?|requests?|udp|tcp|icmp|inbound|outbound|incoming|outgoing)\b/i;

/** What no pattern deploys, named in the request: "Kubernetes", "a mail server"; undefined when nothing is. */
export function outOfScopeThing(text: string, patterns: readonly Pattern[]): string | undefined {
  for (const { thing, pattern } of OUT_OF_SCOPE) {
    const match = pattern.exec(text);
    if (!match) continue;
    if (patterns.some((candidate) => patternNames(candidate, match[0]))) continue;
    return thing;
  }
  return undefined;
}

/** Whether a pattern's keywords or values name the words ("kubernetes" as a keyword of a user's pattern). */
function patternNames(pattern: Pattern, words: string): boolean {
  const wanted = tokenize(words).map((token) => token.word);
  const vocabulary = [
    ...(pattern.keywords ?? []),
    ...describeParams(pattern).flatMap((spec) => [...spec.options, ...Object.values(spec.synonyms).flat()]),
  ].flatMap((phrase) => phraseWords(phrase));
  return wanted.every((word) => vocabulary.some((known) => sameWord(word, known)));
}

/** "buy me a switch", "translate ...", "write me a poem": an errand, not infrastructure. */
export function isErrand(text: string): boolean {
  return ERRAND.test(text.trim());
}

/** "run rm -rf / on the host", "sudo ...": a shell command. */
export function isShellCommand(text: string): boolean {
  return SHELL.test(text);
}

/** The clauses that remove everything at once ("delete all firewall rules"). */
export function massRemovals(text: string): Span[] {
  // "drop all udp traffic" is a firewall rule, not a removal.
  return [...text.matchAll(MASS_REMOVAL)]
    .filter((match) => !TRAFFIC.test(match[0]))
    .map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
    }));
}
