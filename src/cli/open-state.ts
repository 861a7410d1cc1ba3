// Which state store a command uses: --state, then `state.url` in config, then SQLite in $CONDUCTOR_HOME.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/config.js';
import { conductorHome } from '../config/config.js';
import type { StateStore } from '../state/state-store.js';

export interface OpenCliStateOptions {
  /** --state URL or path (relative paths against the working directory). */
  flag?: string;
  config: LoadedConfig;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * Reading commands (plan, deployments, state) pass false: with no state configured and no state file yet there is
   * nothing to read, and merely looking must not create $CONDUCTOR_HOME/state.sqlite.
   */
  create?: boolean;
}

export async function openCliState(options: OpenCliStateOptions): Promise<StateStore> {
  const fromConfig = options.config.config.state?.url;
  const url = options.flag
    ? resolvePath(options.flag, options.cwd)
    : fromConfig
      ? resolvePath(fromConfig, options.config.directory)
      : undefined;
  const home = conductorHome(options.env);
  if (!url && options.create === false && !existsSync(join(home, 'state.sqlite'))) {
    const { createMemoryStateStore } = await import('../state/memory-backend.js');
    return createMemoryStateStore();
  }
  const { openStateStore } = await import('../state/open-state-store.js');
  return openStateStore({ ...(url ? { url } : {}), home });
}

/** A plain file path is relative to where it was written; URLs are left as they are. */
function resolvePath(value: string, base: string): string {
  if (value.includes('://') || value.startsWith('memory:') || isAbsolute(value)) return value;
  return resolve(base, value);
}
