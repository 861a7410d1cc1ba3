// Container image references: "ghcr.io/acme/api:2.1", "nginx:1.27-alpine", "acme/shop", "redis@sha256:...".
import type { Finding } from './text.js';

const IMAGE =
  /(?<![\w./:@-])((?:[a-z0-9][a-z0-9.-]*(?::\d+)?\/)?[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*)(?::([\w][\w.-]{0,127})|@(sha256:[a-f0-9]{64}))?(?![\w/@-]|:\w|\.\w)/gi;

/**
 * Strings that can only be images: with a path ("acme/api"), or a tag that is not a port ("nginx:latest",
 * "api:2.1"). "name:8080" is left to the port and host rules, and CIDRs and URLs are not images.
 */
export function extractImages(text: string): Array<Finding<string>> {
  const findings: Array<Finding<string>> = [];
  for (const match of text.matchAll(IMAGE)) {
    const [whole, repository, tag, digest] = match as unknown as [string, string, string?, string?];
    const hasPath = repository.includes('/');
    // After the word "image" a number is a tag ("image ghost:5"); elsewhere "name:5000" is a host and port.
    const afterImageWord = /\bimage\s*[:=]?\s*$/i.test(
      text.slice(Math.max(0, match.index - 12), match.index),
    );
    const hasTag = tag !== undefined && (!/^\d+$/.test(tag) || afterImageWord);
    if (!hasPath && !hasTag && digest === undefined) continue;
    // CIDRs ("10.0.0.0/24"), paths ("/health") and fractions are not images.
    if (/^\d+(?:\.\d+)*\/\d+$/.test(repository)) continue;
    if (/^\d+$/.test(repository.split('/')[0]!)) continue;
    if (/^(?:and\/or|either\/or|tcp\/udp|udp\/tcp|i\/o|n\/a|on\/off|yes\/no)$/i.test(repository)) continue;
    const before = text.slice(Math.max(0, match.index - 3), match.index);
    if (/:\/\/?$/.test(before)) continue;
    if (hasPath && !hasTag && digest === undefined && repository.split('/').some((part) => part === ''))
      continue;
    findings.push({ value: whole, start: match.index, end: match.index + whole.length, text: whole });
  }
  return findings;
}
