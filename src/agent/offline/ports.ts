// Ports: "port 8080", "ports: 443", "10.0.0.5:3000", "8080/tcp", "udp 53", "listens on 3000", and well-known services
// named where traffic is meant ("open ssh", "allow https to ...").
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
const LISTENS_ON = /\blisten(?:s|ing)?\s+on\s+(?:port\s+)?(\d{1,5})(?![\d.:])/gi;

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
