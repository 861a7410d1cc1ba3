// The scripted model other tests use in place of Claude: answers from a script, records calls, and refuses Intents
// that no real model could return.
import { describe, expect, it } from 'vitest';
import { scriptedModel } from '../../support/scripted-model.js';
import { context } from './harness.js';

describe('scriptedModel', () => {
  it('answers from a list in order and records each call', async () => {
    const model = scriptedModel([
      { kind: 'deploy', pattern: 'game-server', params: { game: 'minecraft' } },
      { kind: 'query', question: 'What runs on VLAN 20?' },
    ]);
    expect(model.kind).toBe('scripted');
    const first = await model.parse('deploy minecraft', context());
    const second = await model.parse('what runs on VLAN 20?', context());
    expect(first).toEqual({
      intent: { kind: 'deploy', pattern: 'game-server', params: { game: 'minecraft' } },
      model: 'scripted',
    });
    expect(second.intent.kind).toBe('query');
    expect(model.calls.map((call) => call.text)).toEqual(['deploy minecraft', 'what runs on VLAN 20?']);
    await expect(model.parse('one more', context())).rejects.toThrow(/no response left for "one more"/);
  });

  it('answers from a function of the text and the context', async () => {
    const model = scriptedModel((text, { focus }) =>
      text.includes('8 GB')
        ? { kind: 'modify', target: focus?.name, changes: { memoryGb: 8 } }
        : { kind: 'unsupported' },
    );
    const focus = { name: 'minecraft', pattern: 'game-server', params: { game: 'minecraft' } };
    const result = await model.parse('make it 8 GB', context({ focus }));
    expect(result.intent).toEqual({ kind: 'modify', target: 'minecraft', changes: { memoryGb: 8 } });
  });

  it('refuses an Intent that does not pass the Intent schema', async () => {
    const model = scriptedModel([{ kind: 'launch' } as never]);
    await expect(model.parse('launch', context())).rejects.toThrow();
  });

  it('honours an aborted signal', async () => {
    const model = scriptedModel([{ kind: 'query', question: 'q' }]);
    const controller = new AbortController();
    controller.abort();
    await expect(model.parse('q', context({ signal: controller.signal }))).rejects.toThrow();
  });
});
