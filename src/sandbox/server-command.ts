// How to start a sandbox server: the compiled entry point next to this module, run by the same Node. The provider
// registry uses it when no MCP servers are configured.
import { fileURLToPath } from 'node:url';

/** The simulated providers, each served as its own MCP server. */
export const SANDBOX_PROVIDERS = ['opnsense', 'docker', 'dns', 'certs', 'proxmox', 'aws'] as const;
export type SandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

export function isSandboxProvider(name: string): name is SandboxProviderName {
  return (SANDBOX_PROVIDERS as readonly string[]).includes(name);
}

export interface SandboxServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * `node <dist>/sandbox/main.js <provider>` with `CONDUCTOR_HOME` set, so the server keeps its inventory under
 * `<home>/sandbox/<provider>.json`. Resolved from this module's location: it works from dist, where it is compiled.
 */
export function sandboxServerCommand(provider: string, home: string): SandboxServerCommand {
  return { command: process.execPath, args: [sandboxEntryPoint(), provider], env: { CONDUCTOR_HOME: home } };
}

/**
 * `main.js` beside this module. Loaded from source (tests, tsx) there is no main.js beside it, so the compiled one
 * in dist is used; the test setup builds dist before any test runs.
 */
function sandboxEntryPoint(): string {
  const here = new URL(import.meta.url);
  const fromSource = here.pathname.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../dist/src/sandbox/main.js' : './main.js', here));
}
