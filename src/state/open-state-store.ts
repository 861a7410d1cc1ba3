// Choosing and opening the state from `--state` / `state.url`: SQLite by default, PostgreSQL for teams, memory for
// previews. Backends are imported only when used, so commands that never touch state do not load sqlite3 or pg.
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ConductorError } from '../model/conductor-error.js';
import { redactStateUrl } from './redact-state-url.js';
import type { StateStore } from './state-store.js';

export { redactStateUrl } from './redact-state-url.js';

export interface OpenStateStoreOptions {
  /** `--state` or `state.url`; absent: the SQLite file in `home`. */
  url?: string;
  /** `$CONDUCTOR_HOME`. */
  home: string;
}

/** Where a state URL points. SQLite paths are absolute. */
export type StateTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'memory' };

export const DEFAULT_STATE_FILE = 'state.sqlite';

const ACCEPTED_FORMS = [
  'sqlite:///absolute/path.sqlite, sqlite://relative/path.sqlite, or a file path ending in .sqlite or .db',
  'postgres://user:password@host:5432/database (or postgresql://...)',
  'memory: (nothing is kept after the command)',
];

/**
 * Reads a state URL. Relative SQLite paths are relative to the working directory, as a path argument would be.
 * Fails with `state-url-invalid` (exit code 2) naming the accepted forms.
 */
export function parseStateUrl(url: string | undefined, home: string): StateTarget {
  const text = url?.trim() ?? '';
  if (text === '') return { kind: 'sqlite', path: resolve(home, DEFAULT_STATE_FILE) };
  if (text === 'memory:' || text === 'memory://') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//i.test(text)) return { kind: 'postgres', url: text };
  const sqlite = /^sqlite:(\/\/)?(.*)$/i.exec(text);
  if (sqlite) {
    const path = sqlite[2] ?? '';
    if (path !== '') return { kind: 'sqlite', path: resolve(path) };
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(text) && /\.(sqlite3?|db)$/i.test(text)) {
    return { kind: 'sqlite', path: isAbsolute(text) ? text : resolve(text) };
  }
  throw new ConductorError({
    code: 'state-url-invalid',
    summary: `The state URL ${redactStateUrl(text)} is not one Conductor can use.`,
    detail: `Give --state or state.url in one of these forms: ${ACCEPTED_FORMS.join('; ')}.`,
    exitCode: 2,
  });
}

/**
 * Opens the state a URL names (see parseStateUrl). The default SQLite file's directory is created if needed.
 * Close the store when done: it holds connections that would keep the process alive.
 */
export async function openStateStore(options: OpenStateStoreOptions): Promise<StateStore> {
  const target = parseStateUrl(options.url, options.home);
  switch (target.kind) {
    case 'memory': {
      const { createMemoryStateStore } = await import('./memory-backend.js');
      return createMemoryStateStore();
    }
    case 'sqlite': {
      if (!options.url?.trim()) await mkdir(join(target.path, '..'), { recursive: true });
      const { openSqliteStateStore } = await import('./sqlite-backend.js');
      return openSqliteStateStore(target.path);
    }
    case 'postgres': {
      const { openPostgresStateStore } = await import('./postgres-backend.js');
      return openPostgresStateStore(target.url, redactStateUrl(target.url));
    }
  }
}
