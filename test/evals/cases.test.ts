// Loading eval cases: good lines load with where they came from; every bad line is one diagnostic naming file:line,
// and nothing throws.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultCasesDir, loadCases, packageRoot } from '../../src/evals/cases.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('loadCases', () => {
  it('loads a directory of *.jsonl, skipping blank lines, with file:line and default tags', async () => {
    const loaded = await loadCases({ paths: ['cases'], cwd: fixtures });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.cases.map((entry) => [entry.id, entry.file, entry.line])).toEqual([
      ['fixture-deploy', join('cases', 'small.jsonl'), 1],
      ['fixture-unsupported', join('cases', 'small.jsonl'), 3],
      ['fixture-modify', join('cases', 'small.jsonl'), 4],
    ]);
    expect(loaded.cases[2]!.context?.now).toBe('2026-11-22T15:30:00Z');
  });

  it('reports each bad line as file:line (bad JSON, schema errors, duplicate ids) and keeps the good ones', async () => {
    const loaded = await loadCases({ paths: ['bad/broken.jsonl'], cwd: fixtures });
    expect(loaded.cases.map((entry) => entry.id)).toEqual(['good-1']);
    const file = join('bad', 'broken.jsonl');
    expect(loaded.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.source?.line])).toEqual([
      ['eval-case-invalid-json', 2],
      ['eval-case-invalid', 3],
      ['eval-case-duplicate-id', 4],
      ['eval-case-invalid', 5],
      ['eval-case-invalid', 6],
    ]);
    const summaries = loaded.diagnostics.map((diagnostic) => diagnostic.summary);
    expect(summaries[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:2: not valid JSON`));
    expect(summaries[1]).toContain(`${file}:3 (bad-kind): expect.kind:`);
    expect(summaries[2]).toBe(`${file}:4: the id "good-1" is already used at ${file}:1.`);
    expect(summaries[3]).toContain(`${file}:5 (bad-field): expect: Unrecognized key: "param"`);
    expect(summaries[4]).toContain('id: an id is letters, digits');
    expect(summaries[4]).toContain('input: the input is empty');
    for (const diagnostic of loaded.diagnostics) {
      expect(diagnostic.severity).toBe('error');
      expect(diagnostic.summary).not.toContain('    at ');
    }
  });

  it('says when a path does not exist or holds no cases', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'conductor-eval-empty-'));
    const loaded = await loadCases({ paths: ['missing.jsonl', empty], cwd: fixtures });
    expect(loaded.cases).toEqual([]);
    expect(loaded.diagnostics.map((diagnostic) => diagnostic.code)).toEqual([
      'eval-cases-unreadable',
      'eval-cases-empty',
    ]);
    expect(loaded.diagnostics[0]!.summary).toBe('Case file or directory missing.jsonl does not exist.');
  });

  it('an empty file is a diagnostic too, not a run of zero cases', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'conductor-eval-blank-'));
    writeFileSync(join(directory, 'none.jsonl'), '\n\n');
    const loaded = await loadCases({ paths: [join(directory, 'none.jsonl')] });
    expect(loaded.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['eval-cases-empty']);
  });

  it('defaults to evals/cases at the package root, found by walking up from the module', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    expect(packageRoot()).toBe(root.replace(/\/$/, ''));
    expect(defaultCasesDir()).toBe(join(root, 'evals', 'cases'));
    // From the build too: dist/src/evals has no package.json of its own.
    expect(packageRoot(join(root, 'dist', 'src', 'evals', 'cases.js'))).toBe(root.replace(/\/$/, ''));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
