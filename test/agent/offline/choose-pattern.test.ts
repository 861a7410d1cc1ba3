import { describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../../patterns/index.js';
import { scorePatterns } from '../../../src/agent/offline/choose-pattern.js';

const best = (text: string) => scorePatterns(text, builtinPatterns).best?.pattern.name;

describe('scorePatterns', () => {
  it('chooses from keywords, enum values and descriptions', () => {
    expect(best('a server for my friends to play minecraft')).toBe('game-server');
    expect(best('somewhere to watch my movies')).toBe('media-server');
    expect(best('wireguard')).toBe('vpn-access');
    expect(best('a place for my smart plugs and cameras')).toBe('iot-network');
    expect(best('replicated mongodb')).toBe('database-cluster');
    expect(best('a sandbox with a postgres database for development')).toBe('dev-environment');
    expect(best('reverse proxy for my home assistant')).toBe('expose-service');
    expect(best('close port 22 on the wan')).toBe('firewall-rule');
    expect(best('host my company website')).toBe('web-app');
  });

  it('tolerates typos', () => {
    expect(best('jellyfn')).toBe('media-server');
    expect(best('a wiregaurd tunnel')).toBe('vpn-access');
  });

  it('uses the shape of the values: an image reference means an app', () => {
    expect(best('run registry.example.com/team/portal:3 on portal.example.com')).toBe('web-app');
  });

  it('chooses nothing for requests outside the catalog', () => {
    for (const text of [
      'order a pizza',
      "what's the weather",
      'book a table for two',
      'remind me to call mom tomorrow',
    ]) {
      const choice = scorePatterns(text, builtinPatterns);
      expect(choice.best, text).toBeUndefined();
      expect(choice.confidence).toBe(0);
    }
  });

  it('is more confident with more evidence', () => {
    const vague = scorePatterns('a game', builtinPatterns).confidence;
    const clear = scorePatterns('a minecraft game server for 10 players', builtinPatterns).confidence;
    expect(clear).toBeGreaterThan(vague);
  });
});
