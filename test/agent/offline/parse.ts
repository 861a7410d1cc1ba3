// Shared helpers for the offline parser tests: parse a request against the built-in patterns and check the parts of
// the Intent a case states, the way the eval scorer does (numbers equal, strings case-insensitive, lists as sets).
import { expect } from 'vitest';
import { builtinPatterns } from '../../../patterns/index.js';
import type { IntentContext, KnownDeployment } from '../../../src/agent/intent-model.js';
import { parseIntent } from '../../../src/agent/offline/index.js';
import { type Intent, intentSchema } from '../../../src/model/intent.js';

/** A fixed clock, so "yesterday" and "2 hours ago" have exact answers. */
export const NOW = new Date('2026-11-21T12:00:00Z');

export function parse(text: string, context: Partial<IntentContext> = {}): Intent {
  const intent = parseIntent(text, { patterns: builtinPatterns, deployments: [], now: NOW, ...context });
  expect(intentSchema.safeParse(intent).success).toBe(true);
  return intent;
}

export interface DeployExpectation {
  pattern: string;
  params?: Record<string, unknown>;
  missing?: string[];
}

/** The request deploys `pattern` with at least these parameters (and exactly these missing ones, when given). */
export function expectDeploy(
  text: string,
  expected: DeployExpectation,
  context: Partial<IntentContext> = {},
): Intent {
  const intent = parse(text, context);
  expect(intent.kind, text).toBe('deploy');
  expect(intent.pattern, text).toBe(expected.pattern);
  for (const [name, value] of Object.entries(expected.params ?? {})) {
    expect(normalize(intent.params?.[name]), `${text} → ${name}`).toEqual(normalize(value));
  }
  if (expected.missing)
    expect([...(intent.missing ?? [])].sort(), text).toEqual([...expected.missing].sort());
  else expect(intent.missing ?? [], text).toEqual([]);
  return intent;
}

function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalize).sort();
  return value;
}

/** Deployments as state would list them, for modify / destroy / troubleshoot / restore tests. */
export const DEPLOYMENTS: KnownDeployment[] = [
  {
    name: 'minecraft',
    pattern: 'game-server',
    params: {
      game: 'minecraft',
      players: 10,
      memoryGb: 4,
      vlanTag: 20,
      public: true,
      hostname: 'minecraft.home.arpa',
    },
  },
  {
    name: 'shop',
    pattern: 'web-app',
    params: {
      appName: 'shop',
      domain: 'shop.example.com',
      image: 'shop:latest',
      minInstances: 2,
      maxInstances: 4,
      port: 8080,
      healthPath: '/health',
      vlanTag: 100,
      platform: 'docker',
    },
  },
  {
    name: 'dev-env',
    pattern: 'dev-environment',
    params: { name: 'dev-env', databases: ['postgres', 'mongodb'], cache: true, vlanTag: 50 },
  },
  {
    name: 'jellyfin',
    pattern: 'media-server',
    params: { app: 'jellyfin', storageGb: 500, remoteAccess: false, hostname: 'jellyfin.home.arpa' },
  },
  {
    name: 'home-vpn',
    pattern: 'vpn-access',
    params: { peers: 2, port: 51820, tunnelNetwork: '10.8.0.0/24', lanAccess: true },
  },
];
