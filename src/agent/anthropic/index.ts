// The Claude intent model. This directory is the only place in Conductor that imports @anthropic-ai/sdk.
export type { AnthropicModelOptions } from './anthropic-model.js';
export {
  createAnthropicModel,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  MAX_TOKENS,
} from './anthropic-model.js';
export type { IntentTool } from './intent-tools.js';
export { INTENT_TOOLS } from './intent-tools.js';
export type { ModelProfile, ToolChoiceMode } from './model-profile.js';
export { modelProfile } from './model-profile.js';
export type { PromptContext, PromptDeployment } from './request-context.js';
export { promptContext } from './request-context.js';
export { loadSystemPrompt, packagePromptsDir } from './system-prompt.js';
export type { ToolSet } from './tool-set.js';
export { toolSetFor } from './tool-set.js';
