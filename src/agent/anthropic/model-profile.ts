// What a Claude model accepts, so one request shape works on each. Models up to the 4.x generation take
// `tool_choice: any`, which guarantees a tool call. The 5.x generation thinks adaptively and answers a forced tool
// choice with a 400 (Sonnet 5.5, Opus 5.5, Fable 5.1 document this), so those get `auto` with a low effort, and the
// system prompt plus the repair round make sure the answer is a tool call.

export type ToolChoiceMode = 'any' | 'auto';

export interface ModelProfile {
  toolChoice: ToolChoiceMode;
  /** `output_config.effort`, for models that think adaptively: choosing a tool needs little thought. */
  effort?: 'low';
}

/** Opus, Sonnet, Haiku, Fable or Mythos of generation 5 or later. */
const ADAPTIVE_THINKING_MODEL = /^claude-(?:opus|sonnet|haiku|fable|mythos)-(?:[5-9]|\d{2,})(?:-|$)/;

/**
 * The request settings for a model. Unknown model names (proxies, aliases, older models) get the plain shape the
 * Messages API has always accepted: `tool_choice: any` and no effort.
 */
export function modelProfile(model: string, toolChoice?: ToolChoiceMode): ModelProfile {
  const adaptive = ADAPTIVE_THINKING_MODEL.test(model);
  const choice = toolChoice ?? (adaptive ? 'auto' : 'any');
  return adaptive ? { toolChoice: choice, effort: 'low' } : { toolChoice: choice };
}
