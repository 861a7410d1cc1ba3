// The bearer token that guards `conductor serve --http`. It lives in `$CONDUCTOR_HOME/serve-token`, readable only by
// its owner, so that a local client (Claude Desktop, an editor, a script) proves it runs as the same user. The token is
// created once and then reused, so configured clients keep working across restarts; delete the file to rotate it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SERVE_TOKEN_FILE = 'serve-token';

/** Shorter content is treated as damaged (an empty file, a stray newline) and replaced. */
const MINIMUM_TOKEN_LENGTH = 32;

export interface ServeToken {
  token: string;
  path: string;
  /** True when this call generated the token (first run, or the file held no plausible token). */
  created: boolean;
}

export async function loadOrCreateServeToken(home: string): Promise<ServeToken> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const path = join(home, SERVE_TOKEN_FILE);

  const existing = await readExistingToken(path);
  if (existing !== undefined) {
    // A token others can read guards nothing: tighten a file that was copied or created loosely.
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    return { token: existing, path, created: false };
  }

  const token = randomBytes(32).toString('base64url');
  // Write beside the target, then rename: a crash leaves either the old file or the whole new one, never half a token.
  const temporary = join(home, `.${SERVE_TOKEN_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, `${token}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  return { token, path, created: true };
}

async function readExistingToken(path: string): Promise<string | undefined> {
  try {
    const token = (await readFile(path, 'utf8')).trim();
    return token.length >= MINIMUM_TOKEN_LENGTH ? token : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Constant-time comparison, so response timing does not reveal how much of a guessed token was right. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expectedBytes = Buffer.from(expected, 'utf8');
  const presentedBytes = Buffer.from(presented, 'utf8');
  if (expectedBytes.length !== presentedBytes.length) return false;
  return timingSafeEqual(expectedBytes, presentedBytes);
}
