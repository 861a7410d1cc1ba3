// Network addresses in a request: IPv4 addresses, CIDR ranges, host names and domains, and host:port pairs.
import type { Finding } from './text.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;

/** "10.0.0.5", not the address part of "10.0.0.0/24" and not "1.2.3.4.5". */
export function extractIPv4s(text: string): Array<Finding<string>> {
  const pattern = new RegExp(`(?<![\\w.])${IPV4}(?![\\w.]*\\w)(?!/\\d)`, 'g');
  return [...text.matchAll(pattern)].map((match) => finding(match[0], match.index));
}

/** "10.20.0.0/24"; the prefix length must be 0–32. */
export function extractCidrs(text: string): Array<Finding<string>> {
  const pattern = new RegExp(`(?<![\\w.])${IPV4}/(?:3[0-2]|[12]?\\d)(?![\\w.]*\\w)`, 'g');
  return [...text.matchAll(pattern)].map((match) => finding(match[0], match.index));
}

/** File endings and abbreviations that look like domains but are not ("node.js", "e.g."). */
const NOT_TOP_LEVEL = new Set([
  'js',
  'ts',
  'py',
  'rb',
  'go',
  'json',
  'yaml',
  'yml',
  'toml',
  'md',
  'txt',
  'sh',
  'exe',
  'conf',
  'cfg',
  'log',
  'html',
  'css',
  'zip',
  'gz',
  'tar',
  'jar',
  'png',
  'jpg',
]);

/**
 * Host names and domains with at least one dot and a letter-only last label: "shop.example.com",
 * "minecraft.home.arpa", "nas.lan". Lower-cased. Not e-mail addresses, file names or parts of URLs' paths.
 */
export function extractHostnames(text: string): Array<Finding<string>> {
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  const pattern = new RegExp(`(?<![\\w.@/-])(?:${label}\\.)+[a-z]{2,63}(?![\\w-]|\\.[a-z0-9])`, 'gi');
  const findings: Array<Finding<string>> = [];
  for (const match of text.matchAll(pattern)) {
    const name = match[0].toLowerCase();
    const topLevel = name.slice(name.lastIndexOf('.') + 1);
    if (NOT_TOP_LEVEL.has(topLevel)) continue;
    findings.push({ value: name, start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return findings;
}

export interface HostPortFinding extends Finding<{ host: string; port: number }> {
  /** Where the port is, within the text. */
  portStart: number;
  hostIsAddress: boolean;
}

/** "10.0.0.5:3000", "nas.lan:5000", "localhost:8080"; not image tags ("acme/api:2.1") or times ("14:00"). */
export function extractHostPorts(text: string): HostPortFinding[] {
  const host = `(?:${IPV4}|[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*)`;
  const pattern = new RegExp(`(?<![\\w./:-])(${host}):(\\d{1,5})(?![\\w.:/])`, 'gi');
  const findings: HostPortFinding[] = [];
  for (const match of text.matchAll(pattern)) {
    const [whole, hostText, portText] = match as unknown as [string, string, string];
    const port = Number(portText);
    if (port < 1 || port > 65535) continue;
    findings.push({
      value: { host: hostText.toLowerCase(), port },
      start: match.index,
      end: match.index + whole.length,
      text: whole,
      portStart: match.index + hostText.length + 1,
      hostIsAddress: new RegExp(`^${IPV4}$`).test(hostText),
    });
  }
  return findings;
}

function finding(text: string, index: number): Finding<string> {
  return { value: text, start: index, end: index + text.length, text };
}
