// A throwaway PostgreSQL server for the tests: initdb into a temporary directory, start on a free port of 127.0.0.1,
// stop and delete afterwards. Under root (CI containers) it runs as the `postgres` user, because initdb refuses root.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const POSTGRES_MISSING =
  'PostgreSQL binaries not found: install postgresql (apt-get install postgresql)';

export interface PostgresServer {
  /** Connects as superuser `conductor` to the `postgres` database. */
  readonly url: string;
  stop(): Promise<void>;
}

interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

/** initdb and pg_ctl from PATH, else from the newest /usr/lib/postgresql/<version>/bin (Debian keeps them there). */
export function findPostgresBinaries(): PostgresBinaries | undefined {
  const pathDirectories = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  for (const directory of [...pathDirectories, ...versioned]) {
    const initdb = join(directory, 'initdb');
    const pgCtl = join(directory, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return undefined;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error(POSTGRES_MISSING);
  const root = await mkdtemp(join(tmpdir(), 'conductor-postgres-'));
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (runAs) await chown(root, runAs.uid, runAs.gid);
  const postgres = (command: string, args: string[]) =>
    runAs ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

  try {
    await postgres(binaries.initdb, [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'conductor',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    // A free port can be taken by someone else before the server binds it; a few tries settle that.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-k ${root}`,
        // Durability is not under test here; speed is welcome.
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await postgres(binaries.pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start']);
      } catch (error) {
        if (attempt < 3) continue;
        const serverLog = await readFile(log, 'utf8').catch(() => '');
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${serverLog}`);
      }
      return {
        url: `postgres://conductor@127.0.0.1:${port}/postgres`,
        stop: async () => {
          await postgres(binaries.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
          await rm(root, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, PostgreSQL needs a `postgres` user to run as (the postgresql package adds one).',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
