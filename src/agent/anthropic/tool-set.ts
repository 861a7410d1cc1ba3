// The tools of a request: one per pattern, in catalog order, then one per other intent kind. Built once per pattern
// list, so every request of a session sends the same bytes, and the last tool carries the prompt-cache marker (the
// tools come first in the cached prefix, then the system prompt).
import type Anthropic from '@anthropic-ai/sdk';
import { ConductorError } from '../../model/conductor-error.js';
import type { IntentContext } from '../intent-model.js';
import type { Pattern } from '../pattern.js';
import { INTENT_TOOLS, intentToolDefinition, interpretIntentCall } from './intent-tools.js';
import type { Interpretation } from './interpretation.js';
import { interpretPatternCall, patternTool } from './pattern-tool.js';

export const CACHE_MARKER = { type: 'ephemeral' } as const satisfies Anthropic.CacheControlEphemeral;

export interface ToolSet {
  /** As sent: the last one marked for prompt caching. */
  tools: Anthropic.Tool[];
  /** What a call of the named tool means; undefined for a name that is not one of the tools. */
  interpret(name: string, input: unknown, context: IntentContext): Interpretation | undefined;
}

const built = new WeakMap<readonly Pattern[], ToolSet>();

export function toolSetFor(patterns: readonly Pattern[]): ToolSet {
  let toolSet = built.get(patterns);
  if (!toolSet) {
    toolSet = buildToolSet(patterns);
    built.set(patterns, toolSet);
  }
  return toolSet;
}

function buildToolSet(patterns: readonly Pattern[]): ToolSet {
  const byPattern = new Map<string, Pattern>();
  for (const pattern of patterns) {
    if (byPattern.has(pattern.name)) {
      throw new ConductorError({
        code: 'pattern-duplicate',
        summary: `Two patterns are named "${pattern.name}".`,
        detail:
          'Each pattern becomes a tool named like it, and tool names must be unique. Rename one of them.',
        exitCode: 2,
      });
    }
    byPattern.set(pattern.name, pattern);
  }
  const byIntentTool = new Map(INTENT_TOOLS.map((tool) => [tool.name, tool]));
  for (const name of byIntentTool.keys()) {
    if (byPattern.has(name)) {
      throw new ConductorError({
        code: 'pattern-name-reserved',
        summary: `The pattern name "${name}" is the name of one of Conductor's own tools.`,
        detail: 'Rename the pattern: pattern names are lower-case letters, digits and hyphens.',
        exitCode: 2,
      });
    }
  }
  const tools: Anthropic.Tool[] = [...patterns.map(patternTool), ...INTENT_TOOLS.map(intentToolDefinition)];
  const last = tools.length - 1;
  tools[last] = { ...tools[last]!, cache_control: CACHE_MARKER };
  return {
    tools,
    interpret(name, input, context) {
      const pattern = byPattern.get(name);
      if (pattern) return interpretPatternCall(pattern, input);
      const tool = byIntentTool.get(name);
      return tool ? interpretIntentCall(tool, input, context) : undefined;
    },
  };
}
