// Adapter for `@modelcontextprotocol/server-filesystem`: text files inside the directories the server was started
// with. A file's id is its absolute path; `path` (relative to the first allowed directory, or absolute inside one;
// default: the resource name) and `content` are its properties.
// The server has no tool that deletes a file, so delete is declared unsupported: destroy and rollback report the file
// as left behind instead of pretending. Listing returns paths without content (reading every file would be slow).
// A listed file's name is its relative path with every character other than letters, digits, "-" and "_" replaced by
// "-" (`conf/site.txt` → `conf-site-txt`): name file resources that way for recover and inventory to match them.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ProviderResource } from '../../execute/provider-gateway.js';
import { defineAdapter, type StepScope } from '../adapter.js';
import { AdapterError } from '../adapter-error.js';
import type { ToolOutput } from '../tool-result.js';

interface FilesystemSession {
  /** Absolute directories the server may touch, in the order it reports them. */
  directories: string[];
}

interface TreeEntry {
  name: string;
  type: 'file' | 'directory';
  children?: TreeEntry[];
}

export const filesystemAdapter = defineAdapter<FilesystemSession>({
  name: 'filesystem',
  description: '@modelcontextprotocol/server-filesystem (text files in the allowed directories)',
  detect: { tools: ['write_file', 'list_allowed_directories'] },
  session: {
    tool: 'list_allowed_directories',
    result: (output) => ({
      directories: textOf(output)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => isAbsolute(line)),
    }),
  },
  errors: [
    { pattern: /ENOENT|no such file|Parent directory does not exist/i, code: 'not-found' },
    { pattern: /Access denied|outside allowed directories/i, code: 'access-denied' },
    { pattern: /EACCES|EPERM/, code: 'permission-denied' },
    { pattern: /EBUSY|EAGAIN/, code: 'busy', retryable: true },
  ],
  types: {
    file: {
      description:
        'A text file inside one of the server’s allowed directories. Create overwrites a file already there.',
      schema: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            description:
              'Relative to the first allowed directory, or absolute inside an allowed directory. Default: the resource name.',
          },
          content: { type: 'string', description: 'The whole text of the file.' },
        },
        required: ['content'],
        additionalProperties: false,
      },
      outputs: ['path', 'size'],
      replaceOn: ['path'],
      create: {
        steps: [
          {
            tool: 'create_directory',
            when: (scope) => needsParent(targetPath(scope), scope.session),
            arguments: (scope) => ({ path: dirname(targetPath(scope)) }),
          },
          {
            tool: 'write_file',
            arguments: (scope) => ({ path: targetPath(scope), content: contentOf(scope.request.properties) }),
          },
        ],
        result: (scope) => ({
          id: targetPath(scope),
          outputs: outputsOf(targetPath(scope), scope.request.properties),
        }),
      },
      read: {
        steps: [
          { tool: ['read_text_file', 'read_file'], arguments: ({ request }) => ({ path: request.id }) },
        ],
        result: ({ request, session, output }) => {
          const content = textOf(output);
          const path = relativeToAllowed(request.id, session);
          return {
            id: request.id,
            name: nameForPath(path),
            type: 'file',
            properties: { path, content },
            outputs: { path: request.id, size: Buffer.byteLength(content) },
          };
        },
      },
      update: {
        steps: [
          {
            tool: 'create_directory',
            when: ({ request, session }) => needsParent(request.id, session),
            arguments: ({ request }) => ({ path: dirname(request.id) }),
          },
          {
            tool: 'write_file',
            arguments: ({ request }) => ({ path: request.id, content: contentOf(request.properties) }),
          },
        ],
        result: ({ request }) => ({ outputs: outputsOf(request.id, request.properties) }),
      },
      list: {
        steps: ({ session }) =>
          session.directories.map((directory) => ({
            tool: 'directory_tree',
            arguments: () => ({ path: directory }),
          })),
        tools: ['directory_tree'],
        result: ({ session, results }) =>
          session.directories.flatMap((directory, index) => {
            const output = results[index];
            return output ? filesIn(treeOf(output), directory, session) : [];
          }),
      },
      unsupported: {
        delete: 'The filesystem server has no tool that deletes a file.',
      },
    },
  },
});

function targetPath(
  scope: StepScope<{ name: string; properties: Record<string, unknown> }, FilesystemSession>,
): string {
  const given = scope.request.properties.path ?? scope.request.name;
  if (typeof given !== 'string' || given === '') {
    throw new AdapterError(
      'invalid-properties',
      'path must be a non-empty string (relative to the allowed directory).',
    );
  }
  if (isAbsolute(given)) return resolve(given);
  const base = scope.session.directories[0];
  if (!base) throw new AdapterError('unexpected-result', 'The server reports no allowed directories.');
  return resolve(base, given);
}

function contentOf(properties: Record<string, unknown>): string {
  const content = properties.content;
  if (typeof content !== 'string') throw new AdapterError('invalid-properties', 'content must be a string.');
  const unknown = Object.keys(properties).filter((key) => key !== 'path' && key !== 'content');
  if (unknown.length > 0) {
    throw new AdapterError(
      'invalid-properties',
      `A file has only path and content; remove ${unknown.join(', ')}.`,
    );
  }
  return content;
}

function outputsOf(path: string, properties: Record<string, unknown>): Record<string, unknown> {
  return { path, size: Buffer.byteLength(contentOf(properties)) };
}

/** Whether the file's directory is below an allowed directory (and so may not exist yet). */
function needsParent(path: string, session: FilesystemSession): boolean {
  return !session.directories.includes(dirname(path));
}

function relativeToAllowed(path: string, session: FilesystemSession): string {
  const base = [...session.directories]
    .sort((a, b) => b.length - a.length)
    .find(
      (directory) =>
        path === directory || path.startsWith(directory.endsWith(sep) ? directory : directory + sep),
    );
  return base ? relative(base, path) : path;
}

/** A resource name for a path: `conf/site.txt` → `conf-site-txt`. */
export function nameForPath(path: string): string {
  const name = path.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'file' : name;
}

function textOf(output: ToolOutput): string {
  const content = (output.data as { content?: unknown } | undefined)?.content;
  return typeof content === 'string' ? content : output.text;
}

function treeOf(output: ToolOutput): TreeEntry[] {
  try {
    const tree = JSON.parse(textOf(output)) as unknown;
    if (Array.isArray(tree)) return tree as TreeEntry[];
  } catch {
    // Reported below, with what the server sent.
  }
  throw new AdapterError(
    'unexpected-result',
    `Expected a JSON directory tree, got: ${textOf(output).slice(0, 200)}`,
  );
}

function filesIn(
  tree: readonly TreeEntry[],
  directory: string,
  session: FilesystemSession,
): ProviderResource[] {
  const files: ProviderResource[] = [];
  const walk = (entries: readonly TreeEntry[], at: string): void => {
    for (const entry of entries) {
      const path = resolve(at, entry.name);
      if (entry.type === 'directory') walk(entry.children ?? [], path);
      else {
        const relativePath = relativeToAllowed(path, session);
        files.push({
          id: path,
          name: nameForPath(relativePath),
          type: 'file',
          properties: { path: relativePath },
          outputs: { path },
        });
      }
    }
  };
  walk(tree, directory);
  return files;
}
