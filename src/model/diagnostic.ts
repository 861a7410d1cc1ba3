// Diagnostics: user-facing problems collected and reported together instead of thrown one at a time.

import { z } from 'zod';
import { compareText } from './compare-text.js';

export const diagnosticSeveritySchema = z.enum(['error', 'warning', 'info']);
export type DiagnosticSeverity = z.infer<typeof diagnosticSeveritySchema>;

export const sourceLocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
});
export type SourceLocation = z.infer<typeof sourceLocationSchema>;

export const diagnosticSchema = z.object({
  severity: diagnosticSeveritySchema,
  /** Stable, kebab-case: tests, docs and users' scripts match on it. */
  code: z.string(),
  /** One line: what is wrong. */
  summary: z.string(),
  /** Full sentences: why, and how to fix it. */
  detail: z.string(),
  /** The resource the problem belongs to, when there is one. */
  address: z.string().optional(),
  /** Where inside the resource (e.g. `properties.destination`). */
  path: z.string().optional(),
  /** Where in the input file, when the input came from a file. */
  source: sourceLocationSchema.optional(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

const severityRank: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by address and code, so output is stable for the same input. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      compareText(a.address ?? '', b.address ?? '') ||
      compareText(a.code, b.code) ||
      compareText(a.path ?? '', b.path ?? ''),
  );
}
