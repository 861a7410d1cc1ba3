// The user message: what changes from one request to the next (the time, the deployments, the one the conversation
// is about, the request itself). It comes after the cached prefix (tools and system prompt), so none of this ever
// invalidates the cache. Deployments are described by name, pattern and parameters only: nothing from state
// (properties, outputs) and nothing secret reaches the prompt.
import type Anthropic from '@anthropic-ai/sdk';
import type { IntentContext, KnownDeployment } from '../intent-model.js';

/** The context as data: picked field by field, so nothing else a caller's objects carry can slip in. */
export interface PromptContext {
  now: string;
  deployments: PromptDeployment[];
  focus?: PromptDeployment;
}

export interface PromptDeployment {
  name: string;
  pattern?: string;
  params?: Record<string, unknown>;
}

export function promptContext(context: IntentContext): PromptContext {
  return {
    now: (context.now ?? new Date()).toISOString(),
    deployments: context.deployments.map(promptDeployment),
    ...(context.focus ? { focus: promptDeployment(context.focus) } : {}),
  };
}

function promptDeployment(deployment: KnownDeployment): PromptDeployment {
  return {
    name: deployment.name,
    ...(deployment.pattern !== undefined ? { pattern: deployment.pattern } : {}),
    ...(deployment.params !== undefined ? { params: deployment.params } : {}),
  };
}

/** Two text blocks: the context, then the request. */
export function userContent(text: string, context: IntentContext): Anthropic.TextBlockParam[] {
  const data = promptContext(context);
  const lines = [
    '<context>',
    `Current time: ${data.now}`,
    data.deployments.length === 0
      ? 'Deployments: none yet.'
      : `Deployments:\n${data.deployments.map((deployment) => `- ${JSON.stringify(deployment)}`).join('\n')}`,
    data.focus
      ? `The conversation is about: ${JSON.stringify(data.focus)}`
      : 'The conversation is not about any deployment yet.',
    '</context>',
  ];
  return [
    { type: 'text', text: lines.join('\n') },
    { type: 'text', text: `<request>\n${text}\n</request>` },
  ];
}
