// What kind of request it is, from the words that carry it: restoring ("roll back", "as of"), something broken
// ("unreachable", "can't connect"), removing ("tear down"), asking ("what runs on", "which"), changing ("bump", "scale",
// "actually use"), or building (a deploy verb, or just a description of a thing). These are signals; the parser
// decides with the pattern scores and the deployments it knows.

export interface KindSignals {
  restore?: RegExpExecArray;
  troubleshoot?: RegExpExecArray;
  destroy?: RegExpExecArray;
  question?: RegExpExecArray;
  /** Verbs that only ever change something existing: bump, scale, resize, switch, "actually". */
  strongModify?: RegExpExecArray;
  /** Verbs that may change or create: add, use, make it, set ... to. */
  weakModify?: RegExpExecArray;
  /** A change verb applied to "it": "make it public" changes something that exists, whatever it is. */
  changeIt?: RegExpExecArray;
  deploy?: RegExpExecArray;
  /** Words about infrastructure at all, so "what's the weather" is not a question for Conductor. */
  infrastructure: boolean;
}

const RESTORE =
  /\b(?:restore|roll\s*(?:it\s+|them\s+|\w+\s+)?back|rollback|revert|go\s+back\s+to|undo|put\s+(?:it\s+|\w+\s+)?back|return\s+(?:it\s+|\w+\s+)?to\s+(?:how|the\s+state|what|its)|as\s+of\b|how\s+it\s+(?:was|looked)|the\s+way\s+it\s+was|back\s+to\s+(?:how|the\s+way|yesterday|before|its|the\s+state|what))/i;

const TROUBLESHOOT =
  /\b(?:why\s+(?:won't|wont|isn't|isnt|doesn't|doesnt|can't|cant|cannot|didn't|aren't|don't|wasn't|is\s+(?:\w+\s+){1,3}?not|does\s+(?:\w+\s+){1,3}?not)|unreachable|not\s+reachable|can(?:no|')?t\s+(?:\w+\s+){0,2}?(?:connect|reach|access|join|load|log\s*in|see|ping|resolve|get\s+to|open)|cannot\s+(?:\w+\s+){0,2}?(?:connect|reach|access|join|load|log\s*in|see|ping|resolve|get\s+to|open)|could(?:n't|\s+not)\s+(?:\w+\s+){0,2}?(?:connect|reach|access|join|load|resolve)|unable\s+to\s+(?:connect|reach|access|join|load|resolve)|(?:is|are|isn't|aren't|was|not|stopped|keeps?|doesn't|don't|won't)\s+(?:\w+\s+)?(?:working|responding|loading|resolving|starting|connecting)|(?:doesn't|don't|won't|does\s+not|will\s+not|isn't|can't)\s+(?:\w+\s+){0,2}?(?:work|load|start|connect|respond|resolve|come\s+up)|(?:is|are|'s|went|go(?:es)?|keeps?\s+going|seems?)\s+(?:\w+\s+)?(?:down|offline|broken|dead|unresponsive)|broken|crash(?:es|ed|ing)?|timing\s+out|times?\s+out|timed\s+out|time-?outs?|connection\s+(?:refused|reset|error|fail\w*)|errors?\b|fail(?:s|ed|ing|ure)|troubleshoot|diagnose|debug|what'?s\s+wrong|something\s+wrong|(?:a|any)\s+problem|issues?\s+with|lag(?:gy|ging|s)?|(?:so|too|very|really|super|extremely|quite|pretty|terribly)\s+(?:slow|laggy|sluggish)|(?:is|are|'s|runs?|running|seems?|feels?|got|gotten|getting|been)\s+(?:\w+\s+)?(?:slow|sluggish|laggy)|\b50[234]s?\b|\b500s\b|5xx|throw(?:s|ing)?\s+(?:\w+\s+)?(?:errors?|exceptions?|50\d)|(?:keeps?|kept|is|are|constantly|randomly)\s+(?:\w+\s+)?(?:drop+(?:s|ing|ed)?|disconnect(?:s|ing|ed)?|falling|fall(?:s|ing)?)\s+(?:off|out)|disconnect(?:s|ing)\b|drop+(?:ing|s)\s+(?:off|out)\b|certificate\s+(?:error|expired|invalid)|(?:isn't|is\s+not|aren't)\s+(?:reachable|accessible|up|running|available))\b/i;

const DESTROY =
  /\b(?:tear(?:ing)?\s+(?:it\s+|them\s+|(?:[\w.-]+\s+){0,4})?down|teardown|delete|remove|destroy|decommission|get\s+rid\s+of|take\s+(?:it\s+|them\s+|(?:[\w.-]+\s+){0,4})?down|nuke|uninstall|wipe|kill|deprovision|shut\s+(?:it\s+|them\s+|(?:\w+\s+){0,4})?down|dismantle|scrap|trash|drop\s+(?:the|my|our)\b|no\s+longer\s+need|don't\s+need\s+(?:it|the|my)\b.*\b(?:anymore|any\s+more))/i;

const QUESTION =
  /^(?:(?:hey|hi|ok|so|and|please|conductor)[,\s]+)?(?:what|what's|whats|which|where|who|when|how\s+(?:many|much|is|are|big|long|do\s+i\s+(?:see|find|check|know))|list|show|tell\s+me|display|is\s+there|are\s+there|do\s+i\s+have|does|did|is\s+(?:the|my|it|there)|are\s+(?:the|my|there)|give\s+me\s+(?:a\s+)?(?:list|overview|summary|status)|status\b|can\s+you\s+(?:list|show|tell))\b/i;

const STRONG_MODIFY =
  /\b(?:bump|increase|decrease|raise|lower|reduce|scale|resize|upgrade|downgrade|switch|change|modify|update|rename|expand|grow|shrink|enlarge|boost|double|halve|actually|instead|enable|disable|turn\s+(?:on|off)|switch\s+(?:on|off)|set\s+(?:the\s+|its\s+)?\w+(?:\s+\w+)?\s+to|move\s+(?:it|them|\w+)\s+to|more\s+(?:memory|ram|storage|disk|players|replicas|instances|space)|less\s+(?:memory|ram|storage|disk))\b/i;

const WEAK_MODIFY =
  /\b(?:add|use|make\s+(?:it|them|that|this|the\s+\w+|(?!(?:a|an|me|us|some|another|new|sure|one)\b)[\w.-]+\s+(?=\w))|set\s+(?!up\b)(?:it|the|its|\w+)|put\s+it|give\s+(?:it|them)|allow|let\s+it|move|also|now|too)\b/i;

/**
 * A request that opens with a change verb on "it" or "them": "make it public", "give it 3 more peers". Later in a
 * sentence ("a vlan for my cameras, keep them offline") it describes the new thing instead.
 */
const CHANGE_IT =
  /^(?:(?:ok(?:ay)?|and|now|please|actually|also|then|oh|hmm|wait|so|hey)[,\s]+)*(?:can\s+you\s+|could\s+you\s+|please\s+)?(?:make|give|set|put|move|turn|switch|keep|let|have|bring|take)\s+(?:it|them)\b/i;

const DEPLOY =
  /\b(?:deploy|set\s*up|setup|create|spin\s+up|stand\s+up|bring\s+up|fire\s+up|install|give\s+me|get\s+me|i\s+(?:want|need|would\s+like|'d\s+like)|need|want|i'd\s+like|build|launch|provision|run|start|host|new|make\s+(?:me|us|a|an)|add\s+(?:a|an|another)|expose|publish|open|block|allow|deny|reject|forward|configure|can\s+(?:you|i)\s+(?:get|have))\b/i;

const INFRASTRUCTURE =
  /\b(?:deploy\w*|running|runs|run|vlans?|ip|ips|address\w*|ports?|dns|hosts?|hostnames?|servers?|services?|network\w*|firewall|rules?|resources?|state|plans?|containers?|instances?|memory|ram|storage|disk|status|installed|exists?|up|cidr|subnet|domains?|certificates?|tls|nat|dhcp|peers?|vpn|apps?|databases?|clusters?|backups?|replicas?|revision|history|version|changes?|cost|uptime)\b/i;

export function kindSignals(text: string): KindSignals {
  const signals: KindSignals = { infrastructure: INFRASTRUCTURE.test(text) };
  const set = <K extends Exclude<keyof KindSignals, 'infrastructure'>>(key: K, pattern: RegExp) => {
    const match = pattern.exec(text);
    if (match) signals[key] = match;
  };
  set('restore', RESTORE);
  set('troubleshoot', TROUBLESHOOT);
  set('destroy', DESTROY);
  const trimmed = text.trim();
  const question = QUESTION.exec(trimmed);
  if (question) signals.question = question;
  else if (/\?\s*$/.test(trimmed) && !DEPLOY.test(trimmed)) signals.question = /\?\s*$/.exec(trimmed)!;
  set('strongModify', STRONG_MODIFY);
  set('weakModify', WEAK_MODIFY);
  set('changeIt', CHANGE_IT);
  set('deploy', DEPLOY);
  return signals;
}

/** Words that, in a firewall sense, are about traffic: "drop udp traffic" is a rule, not a teardown. */
export function isAboutTraffic(text: string): boolean {
  return /\b(?:traffic|ports?|packets?|udp|tcp|icmp|connections?|requests?|from\s+\d|to\s+\d|inbound|outbound|incoming|outgoing)\b/i.test(
    text,
  );
}
