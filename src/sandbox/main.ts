#!/usr/bin/env node
// Entry point of a sandbox server: `node dist/src/sandbox/main.js <provider>`. Loads the provider's inventory from
// `$CONDUCTOR_HOME/sandbox/<provider>.json`, reads its faults from `CONDUCTOR_SANDBOX_FAULTS`, and serves the native
// protocol on stdio. stdout carries only MCP; every diagnostic goes to stderr.
import { conductorHome } from '../config/config.js';
import { SandboxEngine } from './engine.js';
import { FaultInjector, parseFaultsEnv } from './faults.js';
import { FileInventoryStore, sandboxInventoryFile } from './inventory-store.js';
import { sandboxProvider } from './providers/index.js';
import { serveOverStdio } from './serve.js';
import { isSandboxProvider, SANDBOX_PROVIDERS } from './server-command.js';

const USAGE_ERROR = 2;

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const name = argv[0];
  if (name === undefined || !isSandboxProvider(name) || argv.length > 1) {
    process.stderr.write(
      `usage: main.js <provider>\n${name === undefined ? 'No provider given.' : `Unknown provider "${argv.join(' ')}".`} ` +
        `Choose one of: ${SANDBOX_PROVIDERS.join(', ')}.\n`,
    );
    process.exit(USAGE_ERROR);
  }
  let faults: FaultInjector;
  try {
    faults = new FaultInjector(name, parseFaultsEnv(env.CONDUCTOR_SANDBOX_FAULTS, name));
  } catch (error) {
    process.stderr.write(`conductor-sandbox-${name}: ${(error as Error).message}\n`);
    process.exit(USAGE_ERROR);
  }
  const file = sandboxInventoryFile(conductorHome(env), name);
  const engine = await SandboxEngine.open({
    provider: sandboxProvider(name),
    store: new FileInventoryStore(file, name),
  });
  if (Object.keys(faults.faults).length > 0) {
    process.stderr.write(`conductor-sandbox-${name}: fault injection on: ${JSON.stringify(faults.faults)}\n`);
  }
  await serveOverStdio({ engine, faults });
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(`conductor-sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
