// Ports: "port 8080", "ports: 443", "10.0.0.5:3000", "8080/tcp", "udp 53", "listens on 3000", "runs on 5001", "allow
// 443 to ...", "RDP (3389)", and well-known services named where traffic is meant ("open ssh", "allow https to ...").
import { extractHostPorts } from './network.js';
import { normalizeNumberWords } from './numbers.js';
import type { Finding } from './text.js';

export type PortSource = 'word' | 'host' | 'protocol' | 'service';

export interface PortFinding extends Finding<number> {
  /** How it was written: after "port", after a host, beside tcp/udp, or as a service name. */
  source: PortSource;
}

const AFTER_WORD = /\bports?\s*(?:(?:number|no\.?)\s*)?[:=#]?\s*(\d{1,5})(?![\d.:])/gi;
const WITH_PROTOCOL =
  /(?<![\w.:])(\d{1,5})\s*\/\s*(?:tcp|udp)\b|\b(?:tcp|udp)\s*(?:\/\s*)?(?:port\s*)?(\d{1,5})(?![\d.:])/gi;
/** A number that ends the phrase, not one that counts or measures something ("runs on 3 nodes", "8 GB"). */
const ALONE = String.raw`(?![\d:])(?!\.\d)(?!\s*(?:[kmgt]i?b|gigs?|megs?)\b)(?!\s+(?!(?:is|as|its|this|was|has|does|plus)\b)[a-z]+s\b)`;
const LISTENS_ON = new RegExp(
  String.raw`\b(?:listen(?:s|ing)?|runs?|running|serves?|serving|answers?|answering|lives?|sits?)\s+on\s+(?:port\s+)?(\d{1,5})${ALONE}`,
  'gi',
);
/** A bare number right after a traffic verb, before a direction or the end: "allow 443 to 10.0.0.5", "block 23". */
const VERB_NUMBER =
  /\b(?:open|allow|permit|accept|block|deny|drop|reject|close|forward)\s+(?:(?:in|inbound|incoming|outbound)\s+)?(\d{1,5})(?![\d.:])(?=\s*(?:$|[,.;!?)]|(?:to|from|on|for|and|in|inbound|outbound|traffic|tcp|udp|only|at|via|through|into|over|towards?)\b))/gi;
/** A port in brackets after the service it belongs to: "RDP (3389)", "the admin UI (port 8443)". */
const IN_BRACKETS = /\b[a-z][\w-]*\s*\(\s*(?:port\s*)?(\d{2,5})\s*\)/gi;

/** Services people name instead of their port. */
export const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = {
  ssh: 22,
  ftp: 21,
  smtp: 25,
  dns: 53,
  http: 80,
  https: 443,
  imap: 143,
  imaps: 993,
  ntp: 123,
  rdp: 3389,
  mqtt: 1883,
  smb: 445,
  mysql: 3306,
  postgres: 5432,
  postgresql: 5432,
  wireguard: 51820,
  telnet: 23,
  sftp: 22,
  pop3: 110,
  pop3s: 995,
  smtps: 465,
  ldap: 389,
  ldaps: 636,
  snmp: 161,
  nfs: 2049,
  vnc: 5900,
  rsync: 873,
};

/** Verbs that make a service name mean its port: "open ssh", "block http", "forward https". */
const TRAFFIC_VERB =
  /\b(?:open|allow|permit|accept|block|deny|drop|reject|close|forward|pass|let)\s+(?:(?:in|the|all|inbound|incoming|outbound)\s+)?$/i;

export function extractPorts(input: string): PortFinding[] {
  const text = normalizeNumberWords(input);
  const findings: PortFinding[] = [];
  const add = (value: number, start: number, end: number, source: PortSource) => {
    if (value < 1 || value > 65535) return;
    if (findings.some((other) => other.start < end && start < other.end)) return;
    findings.push({ value, start, end, text: text.slice(start, end), source });
  };
  for (const match of text.matchAll(AFTER_WORD)) {
    add(Number(match[1]), match.index, match.index + match[0].length, 'word');
  }
  for (const match of text.matchAll(LISTENS_ON)) {
    add(Number(match[1]), match.index, match.index + match[0].length, 'word');
  }
  for (const match of text.matchAll(VERB_NUMBER)) {
    const digits = match.index + match[0].lastIndexOf(match[1]!);
    add(Number(match[1]), digits, digits + match[1]!.length, 'word');
  }
  for (const match of text.matchAll(IN_BRACKETS)) {
    const service = /^[a-z][\w-]*/i.exec(match[0])![0];
    if (!(service.toLowerCase() in WELL_KNOWN_PORTS) && !/^[A-Z]{2,}$/.test(service)) continue;
    add(Number(match[1]), match.index, match.index + match[0].length, 'word');
  }
  for (const match of text.matchAll(WITH_PROTOCOL)) {
    add(Number(match[1] ?? match[2]), match.index, match.index + match[0].length, 'protocol');
  }
  for (const found of extractHostPorts(text)) add(found.value.port, found.portStart, found.end, 'host');
  for (const match of text.matchAll(/\b([a-z]+)\b(?:\s+(?:traffic|port|access|connections?))?/gi)) {
    const port = WELL_KNOWN_PORTS[match[1]!.toLowerCase()];
    if (port === undefined) continue;
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    const hasPortWord = /\s(?:traffic|port|access|connections?)$/i.test(match[0]);
    if (!TRAFFIC_VERB.test(before) && !hasPortWord) continue;
    add(port, match.index, match.index + match[1]!.length, 'service');
  }
  return findings.sort((a, b) => a.start - b.start);
}
