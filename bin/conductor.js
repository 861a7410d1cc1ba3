#!/usr/bin/env node
// Entry point: runs the compiled CLI in dist/ (built by `npm run build`, which `npm start` and `npm test` run first).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'Conductor is not built yet. Run `npm run build` (or `npm start`) in the project directory first.\n',
  );
  process.exit(1);
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`Internal error: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  process.exit(1);
});

const { run } = await import(entry.href);
const color = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  color: color || Boolean(process.env.FORCE_COLOR),
  interactive: Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
  interruptible: true,
});
process.exitCode = code;
