// An IntentModel for tests of what comes after the model (the conversation, the CLI): it answers from a script and
// records every call. Each scripted Intent is checked against the Intent schema, so a test cannot feed the code under
// test something no real model could return.
import type { IntentContext, IntentModel, IntentResult } from '../../src/agent/intent-model.js';
import { type Intent, intentSchema } from '../../src/model/intent.js';

export interface ScriptedCall {
  text: string;
  context: IntentContext;
}

export interface ScriptedModel extends IntentModel {
  /** Every parse, in order. */
  readonly calls: ScriptedCall[];
}

export type IntentScript = Intent[] | ((text: string, context: IntentContext) => Intent | Promise<Intent>);

export function scriptedModel(responses: IntentScript): ScriptedModel {
  const calls: ScriptedCall[] = [];
  const queue = Array.isArray(responses) ? [...responses] : undefined;
  return {
    kind: 'scripted',
    label: 'scripted model',
    calls,
    async parse(text: string, context: IntentContext): Promise<IntentResult> {
      calls.push({ text, context });
      context.signal?.throwIfAborted();
      let intent: Intent | undefined;
      if (queue) {
        intent = queue.shift();
        if (!intent) throw new Error(`scripted model: no response left for "${text}" (call ${calls.length})`);
      } else {
        intent = await (responses as (text: string, context: IntentContext) => Intent | Promise<Intent>)(
          text,
          context,
        );
      }
      return { intent: intentSchema.parse(intent), model: 'scripted' };
    },
  };
}
