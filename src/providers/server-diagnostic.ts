// A server problem as a diagnostic (for `conductor servers`, plan-time type lookups and the registry): the summary is
// the first sentence of the error, the detail all of it (with the server's last stderr lines and the fix).
import { ProviderError } from '../execute/provider-error.js';
import type { Diagnostic } from '../model/diagnostic.js';

export function serverDiagnostic(error: unknown, server: string): Diagnostic {
  if (ProviderError.isInstance(error)) {
    return {
      severity: 'error',
      code: error.code,
      summary: firstSentence(error.message),
      detail: error.message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    severity: 'error',
    code: 'server-unavailable',
    summary: `Server "${server}" failed unexpectedly.`,
    detail: `${message}. This is most likely a bug in Conductor's MCP gateway; report it with this message.`,
  };
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? text;
  const end = line.search(/[.:;](\s|$)/);
  return end === -1 ? line : `${line.slice(0, end)}.`;
}
