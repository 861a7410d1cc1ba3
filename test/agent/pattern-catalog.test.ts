import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../patterns/index.js';
import { generateDeployment, requiredParams, resolveParams } from '../../src/agent/pattern.js';
import { loadPatternCatalog } from '../../src/agent/pattern-catalog.js';
import type { LoadedConfig } from '../../src/config/config.js';

const PIHOLE = `export default ({ definePattern, z }) => definePattern({
  name: 'pihole',
  description: 'A Pi-hole DNS sinkhole container.',
  examples: ['deploy pihole'],
  params: z.object({ ip: z.string(), web: z.boolean().default(true) }),
  generate: (params) => ({
    name: 'pihole',
    resources: [{ server: 'docker', type: 'container', name: 'pihole', properties: { image: 'pihole/pihole', ipAddress: params.ip } }],
  }),
});
`;

function project(files: Record<string, string>, configured: string[] = []) {
  const root = mkdtempSync(join(tmpdir(), 'conductor-patterns-'));
  const home = join(root, 'home');
  mkdirSync(join(home, 'patterns'), { recursive: true });
  mkdirSync(join(root, 'team-patterns'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const config: LoadedConfig = {
    config: configured.length > 0 ? { agent: { patterns: configured } } : {},
    directory: root,
    diagnostics: [],
  };
  return { root, config, env: { CONDUCTOR_HOME: home } };
}

describe('pattern catalog', () => {
  it('has the nine built-in patterns, each with required parameters the issue names', () => {
    expect(builtinPatterns.map((pattern) => pattern.name)).toEqual([
      'game-server',
      'web-app',
      'dev-environment',
      'database-cluster',
      'iot-network',
      'vpn-access',
      'media-server',
      'expose-service',
      'firewall-rule',
    ]);
    const required = Object.fromEntries(
      builtinPatterns.map((pattern) => [pattern.name, requiredParams(pattern)]),
    );
    expect(required).toMatchObject({
      'game-server': ['game'],
      'web-app': ['appName', 'domain'],
      'dev-environment': [],
      'database-cluster': ['engine'],
      'expose-service': ['hostname', 'targetHost', 'targetPort'],
      'firewall-rule': [],
    });
  });

  it('applies defaults and derived values, and reports missing and invalid parameters by name', () => {
    const game = builtinPatterns.find((pattern) => pattern.name === 'game-server')!;
    const resolved = resolveParams(game, { game: 'minecraft', players: 10 });
    expect(resolved).toMatchObject({
      ok: true,
      params: { game: 'minecraft', players: 10, vlanTag: 20, public: true, hostname: 'minecraft.home.arpa' },
    });
    expect(resolveParams(game, {})).toEqual({ ok: false, missing: ['game'], issues: [] });
    const invalid = resolveParams(game, { game: 'minecraft', vlanTag: 5000 });
    expect(invalid.ok).toBe(false);
    expect(invalid.ok === false && invalid.issues.map((issue) => issue.param)).toEqual(['vlanTag']);
    const web = builtinPatterns.find((pattern) => pattern.name === 'web-app')!;
    expect(
      resolveParams(web, { appName: 'shop', domain: 'shop.example.com', minInstances: 6 }),
    ).toMatchObject({
      ok: true,
      params: { image: 'shop:latest', maxInstances: 6 },
    });
  });

  it('loads user patterns from $CONDUCTOR_HOME/patterns and agent.patterns; a broken file is a diagnostic naming it', async () => {
    const { root, config, env } = project({}, ['team-patterns']);
    writeFileSync(join(env.CONDUCTOR_HOME, 'patterns', 'pihole.mjs'), PIHOLE);
    writeFileSync(join(env.CONDUCTOR_HOME, 'patterns', 'broken.mjs'), 'export default {{ not javascript');
    writeFileSync(join(env.CONDUCTOR_HOME, 'patterns', 'README.md'), 'not a pattern');
    writeFileSync(
      join(root, 'team-patterns', 'no-generate.js'),
      "export default ({ z }) => ({ name: 'half', description: 'x', examples: [], params: z.object({}) });",
    );
    writeFileSync(join(root, 'team-patterns', 'again.mjs'), PIHOLE);
    writeFileSync(
      join(root, 'team-patterns', 'my-game.mjs'),
      PIHOLE.replace("name: 'pihole',", "name: 'game-server',"),
    );

    const catalog = await loadPatternCatalog({ config, env });
    expect(catalog.get('pihole')?.source).toBe(join(env.CONDUCTOR_HOME, 'patterns', 'pihole.mjs'));
    expect(catalog.get('game-server')?.source).toBe(join(root, 'team-patterns', 'my-game.mjs'));
    expect(catalog.patterns).toHaveLength(10);
    const byCode = (code: string) => catalog.diagnostics.filter((diagnostic) => diagnostic.code === code);
    expect(byCode('pattern-invalid').map((diagnostic) => diagnostic.summary)).toEqual([
      expect.stringContaining('broken.mjs'),
      expect.stringContaining('no-generate.js'),
    ]);
    expect(byCode('pattern-invalid')[1]!.detail).toContain('generate must be a function');
    expect(byCode('pattern-duplicate')[0]!.summary).toContain('again.mjs');
    expect(byCode('pattern-overrides-builtin')[0]).toMatchObject({ severity: 'warning' });

    const pihole = catalog.get('pihole')!;
    const resolved = resolveParams(pihole, { ip: '10.0.0.53' });
    expect(resolved.ok).toBe(true);
    const generated = generateDeployment(pihole, resolved.ok ? resolved.params : {});
    expect(generated.deployment?.resources[0]).toMatchObject({ name: 'pihole', dependsOn: [] });
  });

  it('names a configured pattern directory that does not exist', async () => {
    const { config, env } = project({}, ['nowhere']);
    const catalog = await loadPatternCatalog({ config, env });
    expect(catalog.diagnostics).toEqual([
      expect.objectContaining({ code: 'pattern-path-missing', summary: expect.stringContaining('nowhere') }),
    ]);
    expect(catalog.patterns).toHaveLength(9);
  });

  it('turns a generate that throws into a diagnostic naming the pattern file', () => {
    const { generate: _, ...game } = builtinPatterns[0]!;
    const failing = {
      ...game,
      source: '/somewhere/mine.mjs',
      generate: () => {
        throw new Error('no VLAN left');
      },
    };
    const generated = generateDeployment(failing, {});
    expect(generated.deployment).toBeUndefined();
    expect(generated.diagnostics[0]).toMatchObject({
      code: 'pattern-failed',
      summary: expect.stringContaining('no VLAN left'),
      detail: expect.stringContaining('/somewhere/mine.mjs'),
    });
  });
});
