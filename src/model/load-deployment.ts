// Reads a deployment description (JSON or YAML, in either shape the origin documents use) into a Deployment,
// collecting every problem as a diagnostic that points at the file and line.
import { basename, extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SEGMENT_PATTERN, TYPE_PATTERN } from './address.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';
import { type Deployment, type Resource, resourceAddress, resourceSchema } from './resource.js';

export type InputPath = ReadonlyArray<string | number>;

export interface LoadDeploymentResult {
  /** Present when the input had no errors (warnings are allowed). */
  deployment?: Deployment;
  diagnostics: Diagnostic[];
  /**
   * Where a resource (by address) and a path inside it (`properties.destination`) were written, so diagnostics found
   * later, by the planner, can point at the file and line too.
   */
  locate?: (address: string, path?: string) => SourceLocation | undefined;
}

export interface ParseDeploymentOptions {
  /** Shown in diagnostics; also gives the default deployment name. */
  file?: string;
  format?: 'json' | 'yaml';
}

const DEPLOYMENT_FIELDS = new Set(['name', 'description', 'variables', 'resources', 'serverResources']);
const RESOURCE_FIELDS = new Set([
  'server',
  'type',
  'name',
  'properties',
  'dependsOn',
  'dependencies',
  'tags',
  'sensitive',
]);

/** Parses text and normalizes it. Never throws for bad input. */
export function parseDeploymentText(
  text: string,
  options: ParseDeploymentOptions = {},
): LoadDeploymentResult {
  const file = options.file ?? '<input>';
  const format = options.format ?? detectFormat(text, options.file);
  const parsed = format === 'json' ? parseJson(text, file) : parseYaml(text, file);
  if (parsed.diagnostics.length > 0 && parsed.value === undefined) return { diagnostics: parsed.diagnostics };
  const result = normalizeDeployment(parsed.value, {
    defaultName: options.file ? defaultNameFromFile(options.file) : undefined,
    locate: parsed.locate,
  });
  return {
    ...result,
    diagnostics: [...parsed.diagnostics, ...result.diagnostics],
  };
}

export interface NormalizeOptions {
  /** Used when the input has no `name`. */
  defaultName?: string;
  /** Maps a path in the input to a file position, for diagnostics. */
  locate?: (path: InputPath) => SourceLocation | undefined;
}

/**
 * Accepts `{ name, resources: [...] }` and `{ name, serverResources: { server: [...] } }` (a Map works too, as in
 * the origin documents), `dependencies` as `dependsOn`, and full types (`opnsense:network:vlan`).
 */
export function normalizeDeployment(input: unknown, options: NormalizeOptions = {}): LoadDeploymentResult {
  const diagnostics: Diagnostic[] = [];
  const report: Reporter = (severity, code, path, summary, detail, address) => {
    const source = options.locate?.(path);
    diagnostics.push({
      severity,
      code,
      summary,
      detail,
      ...(address ? { address } : {}),
      ...(path.length > 0 ? { path: formatInputPath(path) } : {}),
      ...(source ? { source } : {}),
    });
  };

  if (!isPlainObject(input)) {
    report(
      'error',
      'invalid-deployment',
      [],
      'The deployment must be an object.',
      'Write an object with a "name" and a "resources" list, e.g. { "name": "web", "resources": [ ... ] }.',
    );
    return { diagnostics };
  }

  for (const key of Object.keys(input)) {
    if (!DEPLOYMENT_FIELDS.has(key)) {
      report(
        'warning',
        'unknown-field',
        [key],
        `Field "${key}" is not part of a deployment and is ignored.`,
        `A deployment has ${[...DEPLOYMENT_FIELDS].map((field) => `"${field}"`).join(', ')}. Check the spelling.`,
      );
    }
  }

  let name = input.name;
  if (name === undefined && options.defaultName !== undefined) name = options.defaultName;
  if (typeof name !== 'string' || !SEGMENT_PATTERN.test(name)) {
    report(
      'error',
      'invalid-deployment-name',
      input.name === undefined ? [] : ['name'],
      input.name === undefined
        ? 'The deployment has no name.'
        : `Deployment name ${JSON.stringify(name)} is invalid.`,
      'Give the deployment a "name" of letters, digits, "-" and "_" (e.g. "minecraft"): state and later changes are keyed by it.',
    );
  }

  let variables: Record<string, unknown> | undefined;
  if (input.variables !== undefined) {
    if (isPlainObject(input.variables)) variables = input.variables;
    else
      report(
        'error',
        'invalid-variables',
        ['variables'],
        '"variables" must be an object.',
        'Write variables as a map of names to values, e.g. variables: { version: "1.2.0" }.',
      );
  }
  if (input.description !== undefined && typeof input.description !== 'string') {
    report(
      'error',
      'invalid-description',
      ['description'],
      '"description" must be text.',
      'Write it as a string.',
    );
  }

  // Where each resource came from, kept as plain values (a path array per resource would cost memory on large
  // inputs); paths are built only for diagnostics.
  const resources: Resource[] = [];
  const groups: Array<string | undefined> = [];
  const positions: number[] = [];
  const add = (raw: unknown, group: string | undefined, position: number) => {
    const resource = normalizeResource(raw, group, position, report);
    if (resource) {
      resources.push(resource);
      groups.push(group);
      positions.push(position);
    }
  };
  if (input.resources !== undefined) {
    if (Array.isArray(input.resources)) {
      for (let index = 0; index < input.resources.length; index++)
        add(input.resources[index], undefined, index);
    } else {
      report(
        'error',
        'invalid-resources',
        ['resources'],
        '"resources" must be a list.',
        'Write resources as a list of { server, type, name, properties } objects.',
      );
    }
  }
  if (input.serverResources !== undefined) {
    const groups =
      input.serverResources instanceof Map
        ? [...(input.serverResources as Map<unknown, unknown>).entries()]
        : isPlainObject(input.serverResources)
          ? Object.entries(input.serverResources)
          : undefined;
    if (!groups) {
      report(
        'error',
        'invalid-server-resources',
        ['serverResources'],
        '"serverResources" must map server names to lists of resources.',
        'Write it as { "opnsense": [ { "type": "network:vlan", "name": "...", "properties": {...} } ] }.',
      );
    } else {
      for (const [server, list] of groups) {
        const groupPath = ['serverResources', String(server)];
        if (typeof server !== 'string' || !SEGMENT_PATTERN.test(server)) {
          report(
            'error',
            'invalid-server-name',
            groupPath,
            `Server name ${JSON.stringify(server)} is invalid.`,
            'Server names are letters, digits, "-" and "_", as in the mcpServers section of the config.',
          );
          continue;
        }
        if (!Array.isArray(list)) {
          report(
            'error',
            'invalid-resources',
            groupPath,
            `The resources of server "${server}" must be a list.`,
            'Write them as a list of { type, name, properties } objects.',
          );
          continue;
        }
        for (let index = 0; index < list.length; index++) add(list[index], server, index);
      }
    }
  }
  if (input.resources === undefined && input.serverResources === undefined) {
    report(
      'error',
      'missing-resources',
      [],
      'The deployment lists no resources.',
      'Add "resources": [ { "server", "type", "name", "properties" } ] or "serverResources": { "<server>": [ ... ] }. ' +
        'An empty list is allowed and plans the removal of everything the deployment created.',
    );
  }

  if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { diagnostics };
  const deployment: Deployment = { name: name as string, resources };
  if (typeof input.description === 'string') deployment.description = input.description;
  if (variables) deployment.variables = variables;
  const { locate } = options;
  if (!locate) return { deployment, diagnostics };
  let byAddress: Map<string, number> | undefined;
  return {
    deployment,
    diagnostics,
    locate: (address: string, path?: string) => {
      byAddress ??= new Map(resources.map((resource, index) => [resourceAddress(resource), index]));
      const index = byAddress.get(address);
      if (index === undefined) return undefined;
      const base = inputPathOf(groups[index], positions[index]!);
      return locate(path ? [...base, ...parsePropertyPath(path)] : base);
    },
  };
}

function inputPathOf(group: string | undefined, position: number): InputPath {
  return group === undefined ? ['resources', position] : ['serverResources', group, position];
}

/** `properties.servers[1].host` → ['properties', 'servers', 1, 'host']. */
export function parsePropertyPath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  }
  return segments;
}

/** Fills in `source` for diagnostics that name a resource and path but not a file position. */
export function attachSources(
  diagnostics: readonly Diagnostic[],
  locate: LoadDeploymentResult['locate'],
): Diagnostic[] {
  if (!locate) return [...diagnostics];
  return diagnostics.map((diagnostic) => {
    if (diagnostic.source || !diagnostic.address) return diagnostic;
    const source = locate(diagnostic.address, diagnostic.path);
    return source ? { ...diagnostic, source } : diagnostic;
  });
}

type Reporter = (
  severity: Diagnostic['severity'],
  code: string,
  path: InputPath,
  summary: string,
  detail: string,
  address?: string,
) => void;

function normalizeResource(
  raw: unknown,
  groupServer: string | undefined,
  position: number,
  report: Reporter,
): Resource | undefined {
  const path = inputPathOf(groupServer, position);
  if (!isPlainObject(raw)) {
    report(
      'error',
      'invalid-resource',
      path,
      'A resource must be an object.',
      'Write it as { "server", "type", "name", "properties" } (server may come from the serverResources key).',
    );
    return undefined;
  }
  const label = typeof raw.name === 'string' ? `Resource "${raw.name}"` : 'A resource';
  for (const key of Object.keys(raw)) {
    if (!RESOURCE_FIELDS.has(key)) {
      report(
        'warning',
        'unknown-field',
        [...path, key],
        `${label} has a field "${key}" that is ignored.`,
        key === 'outputs'
          ? 'Outputs come from the server after apply; they cannot be given in the description.'
          : `Resource fields are ${[...RESOURCE_FIELDS].map((field) => `"${field}"`).join(', ')}. Put settings under "properties".`,
      );
    }
  }

  // Server: from the field, the serverResources key, or the first segment of a full type.
  let server = typeof raw.server === 'string' ? raw.server : undefined;
  if (groupServer !== undefined) {
    if (server !== undefined && server !== groupServer) {
      report(
        'error',
        'server-mismatch',
        [...path, 'server'],
        `${label} says server "${server}" but is listed under "${groupServer}".`,
        'Remove the "server" field or move the resource under the right server.',
      );
      return undefined;
    }
    server = groupServer;
  }
  let type = raw.type;
  if (typeof type === 'string') {
    if (server !== undefined && type.startsWith(`${server}:`)) type = type.slice(server.length + 1);
    else if (server === undefined && type.includes(':')) {
      const colon = type.indexOf(':');
      server = type.slice(0, colon);
      type = type.slice(colon + 1);
    }
  }
  if (server === undefined) {
    report(
      'error',
      'missing-server',
      path,
      `${label} does not say which server owns it.`,
      'Add "server": "<name>" or write the full type, e.g. "opnsense:network:vlan".',
    );
    return undefined;
  }

  const dependsOn: unknown[] = [];
  for (const field of ['dependsOn', 'dependencies'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (Array.isArray(value)) dependsOn.push(...value);
    else if (typeof value === 'string') dependsOn.push(value);
    else dependsOn.push(value);
  }

  const candidate = {
    server,
    type,
    name: raw.name,
    properties: raw.properties ?? {},
    dependsOn,
    ...(raw.tags !== undefined ? { tags: raw.tags } : {}),
    ...(raw.sensitive !== undefined ? { sensitive: raw.sensitive } : {}),
  };
  // Most input is valid: check it by hand (fast on 100k resources) and let the schema explain what is not.
  if (isValidResource(candidate)) return candidate;
  const parsed = resourceSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const address =
    typeof type === 'string' && typeof raw.name === 'string' ? `${server}:${type}:${raw.name}` : undefined;
  for (const issue of parsed.error.issues) {
    const [field, ...rest] = issue.path as Array<string | number>;
    // `dependencies` was folded into dependsOn; point at the field the user actually wrote.
    const inputField = field === 'dependsOn' && raw.dependsOn === undefined ? 'dependencies' : field;
    const fieldPath = inputField === undefined ? path : [...path, inputField, ...rest];
    report(
      'error',
      'invalid-resource',
      fieldPath,
      `${label}: ${describeField(inputField, rest)} ${describeIssue(issue)}.`,
      fixForField(inputField),
      address,
    );
  }
  return undefined;
}

/**
 * The same rules as `resourceSchema`, written out so valid input needs no schema walk. A test checks that the two
 * agree; when they do not, the schema decides (it runs whenever this says no).
 */
export function isValidResource(candidate: {
  server: unknown;
  type: unknown;
  name: unknown;
  properties: unknown;
  dependsOn: unknown[];
  tags?: unknown;
  sensitive?: unknown;
}): candidate is Resource {
  if (typeof candidate.server !== 'string' || !SEGMENT_PATTERN.test(candidate.server)) return false;
  if (typeof candidate.type !== 'string' || !TYPE_PATTERN.test(candidate.type)) return false;
  if (typeof candidate.name !== 'string' || !SEGMENT_PATTERN.test(candidate.name)) return false;
  if (!isPlainObject(candidate.properties)) return false;
  for (const entry of candidate.dependsOn) if (typeof entry !== 'string') return false;
  if (candidate.tags !== undefined) {
    if (!isPlainObject(candidate.tags)) return false;
    for (const key in candidate.tags) if (typeof candidate.tags[key] !== 'string') return false;
  }
  if (candidate.sensitive !== undefined) {
    if (!Array.isArray(candidate.sensitive)) return false;
    for (const entry of candidate.sensitive) if (typeof entry !== 'string') return false;
  }
  return true;
}

function describeField(field: string | number | undefined, rest: Array<string | number>): string {
  if (field === undefined) return 'the resource';
  return `"${formatInputPath([field, ...rest])}"`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'is missing'
      : `must be ${issue.expected}, not ${typeOfValue(issue.input)}`;
  }
  return issue.message;
}

function fixForField(field: string | number | undefined): string {
  switch (field) {
    case 'name':
      return 'Give every resource a "name" of letters, digits, "-" and "_", unique on its server.';
    case 'type':
      return 'Give the resource type without the server, e.g. "network:vlan", or the full type "opnsense:network:vlan".';
    case 'server':
      return 'Server names are letters, digits, "-" and "_", as in the mcpServers section of the config.';
    case 'properties':
      return 'Write "properties" as an object of settings.';
    case 'dependsOn':
    case 'dependencies':
      return 'List dependencies as names on the same server ("web-vlan") or addresses ("aws:acm:certificate:web-cert").';
    case 'tags':
      return 'Write tags as an object of text values, e.g. { "Owner": "me" }.';
    case 'sensitive':
      return 'List the property paths that hold secrets, e.g. ["password"].';
    default:
      return 'Check the resource against the documented shape: { server, type, name, properties, dependsOn }.';
  }
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function formatInputPath(path: InputPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function detectFormat(text: string, file: string | undefined): 'json' | 'yaml' {
  const extension = file ? extname(file).toLowerCase() : '';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

function defaultNameFromFile(file: string): string | undefined {
  const stem = basename(file).replace(/\.(json|ya?ml)$/i, '');
  return SEGMENT_PATTERN.test(stem) ? stem : undefined;
}

interface ParsedText {
  value?: unknown;
  diagnostics: Diagnostic[];
  locate: (path: InputPath) => SourceLocation | undefined;
}

function parseJson(text: string, file: string): ParsedText {
  try {
    const value: unknown = JSON.parse(text);
    // Positions are only needed when something is wrong, so the slower YAML parse that keeps them runs lazily.
    let locator: ((path: InputPath) => SourceLocation | undefined) | undefined;
    return {
      value,
      diagnostics: [],
      locate: (path) => {
        locator ??= yamlLocator(text, file);
        return locator(path);
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(message)?.[1];
    const source =
      offset !== undefined ? offsetToLocation(text, Number(offset), file) : { file, line: 1, column: 1 };
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'invalid-json',
          summary: `${file}:${source.line}:${source.column}: the file is not valid JSON.`,
          detail: `${message.replace(/ in JSON at position \d+.*$/, '')}. Fix the syntax at that position (a missing comma, quote or bracket is the usual cause).`,
          source,
        },
      ],
      locate: () => undefined,
    };
  }
}

function parseYaml(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      diagnostics: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        const source = { file, line: position.line, column: position.col };
        return {
          severity: 'error' as const,
          code: 'invalid-yaml',
          summary: `${file}:${source.line}:${source.column}: the file is not valid YAML.`,
          detail: `${error.message.split('\n')[0]}. Fix the syntax at that position (indentation and unquoted ":" are the usual causes).`,
          source,
        };
      }),
      locate: () => undefined,
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'invalid-yaml',
          summary: `${file}: the YAML could not be read.`,
          detail: `${error instanceof Error ? error.message : String(error)}. Simplify anchors and aliases.`,
          source: { file, line: 1, column: 1 },
        },
      ],
      locate: () => undefined,
    };
  }
  return { value, diagnostics: [], locate: nodeLocator(document, lineCounter, file) };
}

function yamlLocator(text: string, file: string): (path: InputPath) => SourceLocation | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return nodeLocator(document, lineCounter, file);
}

/** The position of the deepest node along the path that exists (a missing key points at its parent). */
function nodeLocator(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  file: string,
): (path: InputPath) => SourceLocation | undefined {
  return (path) => {
    let node: unknown = document.contents;
    let offset: number | undefined = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        node = pair.value;
        offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) break;
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    if (offset === undefined) return undefined;
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function offsetToLocation(text: string, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { file, line, column: end - lineStart + 1 };
}
