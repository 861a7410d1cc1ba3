// Turns schema issues into one message that names each bad property and what to write instead, the way a careful
// API explains a 400: `tag: must be 1-4094 (got 5000); unknown property "tga" (known: tag, interface, description)`.
import type { z } from 'zod';

export function describePropertyIssues(
  issues: readonly z.core.$ZodIssue[],
  knownProperties: readonly string[],
): string {
  return issues.map((issue) => describeIssue(issue, knownProperties)).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue, knownProperties: readonly string[]): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    const where = path ? ` in ${path}` : '';
    const known = path === '' && knownProperties.length > 0 ? ` (known: ${knownProperties.join(', ')})` : '';
    return `unknown ${issue.keys.length === 1 ? 'property' : 'properties'} ${keys}${where}${known}`;
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  return path ? `${path}: ${message}` : message;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}
