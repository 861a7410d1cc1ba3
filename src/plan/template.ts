// Parsing and rendering of strings with references: `${server:type:name.output}`, `${var.name}`, `$${` escapes.
import { SEGMENT_PATTERN } from '../model/address.js';
import type { OutputPath, Reference, Template } from '../model/reference.js';
import { isUnknown, type UnknownValue, unknownValue } from '../model/unknown.js';

export type TemplateParseResult =
  | { ok: true; template: Template }
  | { ok: false; message: string; fix: string };

const OUTPUT_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** True when the string needs parsing at all: the cheap test that keeps large plans fast. */
export function mayContainReference(text: string): boolean {
  return text.includes('${');
}

export function parseTemplate(text: string): TemplateParseResult {
  const parts: Template['parts'] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      literal += text.slice(index);
      break;
    }
    literal += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      literal += '${';
      index = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      literal += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      return {
        ok: false,
        message: `"${text}" opens a reference with "\${" that is never closed.`,
        fix: 'Close it with "}", or write "$${" for a literal "${".',
      };
    }
    const body = text.slice(dollar + 2, close);
    const expression = text.slice(dollar, close + 1);
    const reference = parseReferenceBody(body, expression);
    if ('message' in reference) return { ok: false, ...reference };
    if (literal) parts.push(literal);
    literal = '';
    parts.push(reference);
    index = close + 1;
  }
  if (literal) parts.push(literal);
  return { ok: true, template: { parts } };
}

function parseReferenceBody(body: string, expression: string): Reference | { message: string; fix: string } {
  const trimmed = body.trim();
  if (trimmed.startsWith('var.')) {
    const path = parseOutputPath(trimmed.slice(3));
    const [name, ...output] = path ?? [];
    if (typeof name !== 'string') {
      return {
        message: `${expression} is not a valid variable reference.`,
        fix: 'Write ${var.name}, where name is a key of the deployment\'s "variables".',
      };
    }
    return { kind: 'variable', expression, name, output };
  }
  const firstDot = firstPathStart(trimmed);
  const head = firstDot === -1 ? trimmed : trimmed.slice(0, firstDot);
  const segments = head.split(':');
  if (segments.length < 2 || !segments.every((segment) => SEGMENT_PATTERN.test(segment))) {
    const looksLikeVariable = segments.length === 1 && SEGMENT_PATTERN.test(head);
    return {
      message: `${expression} is not a valid reference.`,
      fix: looksLikeVariable
        ? `References name a server and a resource: \${server:type:name.output}. For a deployment variable write \${var.${head}}; for a literal "\${" write "$\${".`
        : 'Write ${server:type:name.output} (type optional, e.g. ${aws:ec2:web.privateIp}) or ${var.name}; for a literal "${" write "$${".',
    };
  }
  if (firstDot === -1) {
    return {
      message: `${expression} does not say which output it reads.`,
      fix: `Add the output after a dot, e.g. \${${head}.id}.`,
    };
  }
  const output = parseOutputPath(trimmed.slice(firstDot));
  if (!output || output.length === 0) {
    return {
      message: `${expression} has an invalid output path.`,
      fix: 'Output paths are names separated by dots with optional list indexes, e.g. .outputs.ips[0].',
    };
  }
  const server = segments[0]!;
  const name = segments[segments.length - 1]!;
  const typeHint = segments.length > 2 ? segments.slice(1, -1).join(':') : undefined;
  return typeHint === undefined
    ? { kind: 'resource', expression, server, name, output }
    : { kind: 'resource', expression, server, typeHint, name, output };
}

function firstPathStart(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '.' || character === '[') return index;
  }
  return -1;
}

/** Parses `.a.b[0].c` (or `a.b[0]` for variables, whose leading name has no dot). */
function parseOutputPath(text: string): OutputPath | undefined {
  const path: OutputPath = [];
  let index = 0;
  if (text.length > 0 && text[0] !== '.' && text[0] !== '[') text = `.${text}`;
  while (index < text.length) {
    if (text[index] === '.') {
      let end = index + 1;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      const segment = text.slice(index + 1, end);
      if (!OUTPUT_SEGMENT.test(segment)) return undefined;
      path.push(segment);
      index = end;
    } else if (text[index] === '[') {
      const close = text.indexOf(']', index);
      if (close === -1) return undefined;
      const inner = text.slice(index + 1, close);
      if (!/^\d+$/.test(inner)) return undefined;
      path.push(Number(inner));
      index = close + 1;
    } else return undefined;
  }
  return path;
}

/** Reads a nested value; undefined when any step is missing. */
export function readPath(value: unknown, path: OutputPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A value the renderer could not know yet. */
export const NOT_KNOWN: unique symbol = Symbol('not-known');

/**
 * Renders a template. A template that is exactly one reference keeps the value's type (a list stays a list); text
 * around references interpolates. When a reference is not known yet, the result is an unknown marker whose expression
 * keeps the known parts filled in.
 */
export function renderTemplate(
  template: Template,
  lookup: (reference: Reference) => unknown | typeof NOT_KNOWN,
): unknown | UnknownValue {
  const { parts } = template;
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const value = lookup(parts[0]!);
    return value === NOT_KNOWN ? unknownValue(parts[0]!.expression) : value;
  }
  let text = '';
  let known = true;
  let expression = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      expression += part.replaceAll('${', () => '$${');
      continue;
    }
    const value = lookup(part);
    if (value === NOT_KNOWN || isUnknown(value)) {
      known = false;
      expression += part.expression;
    } else {
      const rendered = typeof value === 'string' ? value : JSON.stringify(value);
      text += rendered;
      expression += rendered.replaceAll('${', () => '$${');
    }
  }
  return known ? text : unknownValue(expression);
}
