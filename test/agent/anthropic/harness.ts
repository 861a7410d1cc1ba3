// Shared set-up for the Anthropic tests: the real SDK inside createAnthropicModel, pointed at a fake Messages API.
import { afterEach } from 'vitest';
import { builtinPatterns } from '../../../patterns/index.js';
import { type AnthropicModelOptions, createAnthropicModel } from '../../../src/agent/anthropic/index.js';
import type { IntentContext, IntentModel } from '../../../src/agent/intent-model.js';
import {
  type FakeMessagesServer,
  type FakeReply,
  startFakeMessagesServer,
} from '../../support/fake-messages-server.js';

export const API_KEY = 'sk-ant-api03-test-key-that-must-never-be-printed';
export const NOW = new Date('2026-05-02T10:00:00.000Z');

const servers: FakeMessagesServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

export interface Harness {
  server: FakeMessagesServer;
  model: IntentModel;
}

/** A fake server answering with `replies`, and a Claude model using it (no retries unless asked). */
export async function harness(
  replies: FakeReply[] = [],
  options: Partial<AnthropicModelOptions> = {},
): Promise<Harness> {
  const server = await startFakeMessagesServer({ replies });
  servers.push(server);
  const model = createAnthropicModel({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, ...options });
  return { server, model };
}

export function context(overrides: Partial<IntentContext> = {}): IntentContext {
  return { patterns: builtinPatterns, deployments: [], now: NOW, ...overrides };
}

export const minecraft = {
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
};

export const shop = {
  name: 'shop',
  pattern: 'web-app',
  params: { appName: 'shop', domain: 'shop.zebra-store.test', minInstances: 2, port: 8080 },
};
