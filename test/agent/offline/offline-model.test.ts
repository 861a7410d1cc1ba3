import { describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../../patterns/index.js';
import { createOfflineModel } from '../../../src/agent/offline/index.js';
import { intentSchema } from '../../../src/model/intent.js';

describe('createOfflineModel', () => {
  const model = createOfflineModel();

  it('says what it is', () => {
    expect(model.kind).toBe('offline');
    expect(model.label).toBe('offline parser');
  });

  it('returns a valid Intent and names itself as the model', async () => {
    const result = await model.parse('deploy a Minecraft server for 10 players on VLAN 20', {
      patterns: builtinPatterns,
      deployments: [],
    });
    expect(result.model).toBe('offline');
    expect(intentSchema.parse(result.intent)).toEqual(result.intent);
    expect(result.intent.confidence).toBeGreaterThan(0.5);
  });

  it('puts only the keys of its kind in the Intent', async () => {
    const { intent } = await model.parse('web app for shop.example.com', {
      patterns: builtinPatterns,
      deployments: [],
    });
    expect(Object.keys(intent).sort()).toEqual([
      'confidence',
      'kind',
      'missing',
      'notes',
      'params',
      'pattern',
    ]);
    expect(intent.missing).toEqual(['appName']);
    expect(intent.params).toMatchObject({ domain: 'shop.example.com', minInstances: 2, port: 8080 });
    expect(intent.params).not.toHaveProperty('appName');
  });

  it('stops when the request is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      model.parse('minecraft', { patterns: builtinPatterns, deployments: [], signal: controller.signal }),
    ).rejects.toThrow();
  });

  it('answers quickly', async () => {
    const started = performance.now();
    for (let index = 0; index < 20; index += 1) {
      await model.parse('set up a mysql 8.0 cluster with 5 replicas and 100GB each, backups nightly at 3am', {
        patterns: builtinPatterns,
        deployments: [],
      });
    }
    expect((performance.now() - started) / 20).toBeLessThan(100);
  });
});
