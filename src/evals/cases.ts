// Eval cases: requests a person would type, each with the Intent it should become. They are data (JSON Lines in
// `evals/cases/*.jsonl`, one case a line) with stable ids that reports and tests cite. Loading never throws for a
// problem in the data: every bad line is a diagnostic naming file:line, and the good lines still load.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Diagnostic } from '../model/diagnostic.js';
import { INTENT_KINDS } from '../model/intent.js';

/** Ids name recording files (`<id>.json`), so they are kept to characters every file system takes. */
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const knownDeploymentSchema = z.strictObject({
  name: z.string().min(1),
  pattern: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const evalExpectationSchema = z.strictObject({
  kind: z.enum(INTENT_KINDS),
  pattern: z.string().min(1).optional(),
  /** Only what the request states or clearly implies; defaults the request does not touch are left out. */
  params: z.record(z.string(), z.unknown()).optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
  /** Names the intent's `missing` must contain; `[]` means nothing may be missing. */
  missing: z.array(z.string().min(1)).optional(),
  target: z.string().min(1).optional(),
});
export type EvalExpectation = z.infer<typeof evalExpectationSchema>;

export const evalContextSchema = z.strictObject({
  deployments: z.array(knownDeploymentSchema).optional(),
  focus: knownDeploymentSchema.optional(),
  now: z.iso.datetime({ offset: true }).optional(),
});
export type EvalContext = z.infer<typeof evalContextSchema>;

export const evalCaseSchema = z.strictObject({
  id: z
    .string()
    .regex(CASE_ID, 'an id is letters, digits, ".", "_" and "-", starting with a letter or digit'),
  input: z.string().refine((text) => text.trim() !== '', 'the input is empty'),
  expect: evalExpectationSchema,
  tags: z.array(z.string().min(1)).default([]),
  context: evalContextSchema.optional(),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

/** A case and where it was read. */
export interface LoadedCase extends EvalCase {
  file: string;
  line: number;
}

export interface LoadedCases {
  cases: LoadedCase[];
  /** Every problem found, each naming file:line where it has one. */
  diagnostics: Diagnostic[];
}

export interface LoadCasesOptions {
  /** Files or directories (every `*.jsonl` directly inside, by name); default: the package's `evals/cases`. */
  paths?: readonly string[];
  /** Relative paths are taken from here; also what diagnostics print paths relative to. Default: process.cwd(). */
  cwd?: string;
}

/** The directory holding this package's package.json, found by walking up from this module (src or dist/src). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let directory = dirname(from);
  for (;;) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** `evals/cases` of this package. */
export function defaultCasesDir(): string {
  return join(packageRoot() ?? process.cwd(), 'evals', 'cases');
}

export async function loadCases(options: LoadCasesOptions = {}): Promise<LoadedCases> {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths?.length ? options.paths.map((path) => resolve(cwd, path)) : [defaultCasesDir()];
  const diagnostics: Diagnostic[] = [];
  const cases: LoadedCase[] = [];
  const seen = new Map<string, string>();
  const shown = (file: string) => {
    const path = relative(cwd, file);
    return path === '' || path.startsWith('..') ? file : path;
  };

  for (const file of await caseFiles(paths, diagnostics, shown)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      diagnostics.push(unreadable(shown(file), error));
      continue;
    }
    const lines = text.split(/\r?\n/);
    lines.forEach((content, index) => {
      const line = index + 1;
      if (content.trim() === '') return;
      const where = `${shown(file)}:${line}`;
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch (error) {
        diagnostics.push({
          severity: 'error',
          code: 'eval-case-invalid-json',
          summary: `${where}: not valid JSON (${(error as Error).message}).`,
          detail:
            'Each line of a case file is one JSON object: { "id", "input", "expect": { "kind", ... }, "tags" }.',
          source: { file: shown(file), line, column: 1 },
        });
        return;
      }
      const parsed = evalCaseSchema.safeParse(value);
      if (!parsed.success) {
        const id =
          typeof (value as { id?: unknown })?.id === 'string' ? ` (${(value as { id: string }).id})` : '';
        diagnostics.push({
          severity: 'error',
          code: 'eval-case-invalid',
          summary: `${where}${id}: ${parsed.error.issues.map(describeIssue).join('; ')}.`,
          detail:
            'A case is { "id", "input", "expect": { "kind", "pattern"?, "params"?, "changes"?, "missing"?, "target"? }, "tags": [...], "context"?: { "deployments"?, "focus"?, "now"? } }.',
          source: { file: shown(file), line, column: 1 },
        });
        return;
      }
      const earlier = seen.get(parsed.data.id);
      if (earlier) {
        diagnostics.push({
          severity: 'error',
          code: 'eval-case-duplicate-id',
          summary: `${where}: the id "${parsed.data.id}" is already used at ${earlier}.`,
          detail: 'Reports and recordings name cases by id, so each id must be unique across all case files.',
          source: { file: shown(file), line, column: 1 },
        });
        return;
      }
      seen.set(parsed.data.id, where);
      cases.push({ ...parsed.data, file: shown(file), line });
    });
  }
  if (cases.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'eval-cases-empty',
      summary: `No eval cases in ${paths.map(shown).join(', ')}.`,
      detail: 'Give --cases FILE or DIR with *.jsonl files, one case per line.',
    });
  }
  return { cases, diagnostics };
}

async function caseFiles(
  paths: readonly string[],
  diagnostics: Diagnostic[],
  shown: (file: string) => string,
): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      diagnostics.push(unreadable(shown(path), error));
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => name.endsWith('.jsonl')).sort();
    if (names.length === 0) {
      diagnostics.push({
        severity: 'error',
        code: 'eval-cases-empty',
        summary: `${shown(path)} holds no *.jsonl case files.`,
        detail: 'Case files are JSON Lines named *.jsonl, one case per line.',
      });
    }
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

function unreadable(path: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    severity: 'error',
    code: 'eval-cases-unreadable',
    summary:
      code === 'ENOENT'
        ? `Case file or directory ${path} does not exist.`
        : `${path} cannot be read (${code ?? 'error'}).`,
    detail: 'Give --cases one or more *.jsonl files or directories holding them.',
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
