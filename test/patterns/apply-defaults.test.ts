// Each built-in pattern's default deployment applied by the compiled CLI on the real sandbox servers over MCP, and
// destroyed again: proof that its references resolve and that the servers accept its properties (VLAN tags, subnets,
// ports, memory, certificates...).
import { describe, expect, it } from 'vitest';
import { applyAndDestroy, CLI_TIMEOUT } from './sandbox-cli.js';
import { CASES, generate } from './support.js';

/** The first case of each pattern: its defaults. */
const DEFAULTS = CASES.filter(
  (entry, index) => CASES.findIndex((other) => other.pattern === entry.pattern) === index,
);

describe('default deployments on the sandbox servers', () => {
  it('cover every pattern', () => {
    expect(DEFAULTS).toHaveLength(9);
  });

  it.each(DEFAULTS.map((entry) => [`${entry.pattern} ${JSON.stringify(entry.params)}`, entry] as const))(
    '%s is applied with every reference resolved, then destroyed',
    (_label, entry) => applyAndDestroy(generate(entry.pattern, entry.params)),
    CLI_TIMEOUT,
  );
});
