// Before any test: build src → dist (end-to-end tests run the compiled CLI as a user does, so the build must match
// the sources under test), and provide a PostgreSQL server for the state tests.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { type PostgresServer, startPostgresServer } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server to create test databases on (superuser); empty when there is none. */
    postgresUrl: string;
    /** Why there is no server, for the PostgreSQL tests to fail with. */
    postgresProblem: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // CONDUCTOR_TEST_SKIP_BUILD=1: keep dist as it is (several people testing one tree while its sources change).
  if (!process.env.CONDUCTOR_TEST_SKIP_BUILD) {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  }

  // CONDUCTOR_TEST_POSTGRES_URL: a server of your own (the user must be allowed to create databases).
  let server: PostgresServer | undefined;
  let url = process.env.CONDUCTOR_TEST_POSTGRES_URL ?? '';
  let problem = '';
  if (!url) {
    try {
      server = await startPostgresServer();
      url = server.url;
    } catch (error) {
      // Not thrown: the other tests still run, and every PostgreSQL test fails with this message.
      problem = (error as Error).message;
    }
  }
  project.provide('postgresUrl', url);
  project.provide('postgresProblem', problem);
  return async () => {
    await server?.stop();
  };
}
