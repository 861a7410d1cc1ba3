// The Claude intent model: one Messages API request per request text, whose tools are the patterns and the other
// intent kinds. Claude answers by calling one tool; the call is validated with the tool's zod schema and becomes the
// Intent. Invalid input goes back once as an error tool result (the repair round); what is still wrong after that is
// reported in the Intent's notes, and deploy parameters it lacks are listed in `missing`, so the conversation asks.
//
// Nothing else Claude says has any effect: text is ignored, and a call can only choose a pattern and parameters (or
// another intent kind). Everything after the Intent (plan, policies, review, approval) is ordinary code.
//
// The system prompt and the tools are the same bytes in every request, marked for prompt caching; all that varies
// (the time, the deployments, the request) is in the user message after them.
import { Console } from 'node:console';
import Anthropic from '@anthropic-ai/sdk';
import { ConductorError } from '../../model/conductor-error.js';
import { type Intent, intentSchema } from '../../model/intent.js';
import type { IntentContext, IntentModel, IntentResult, TokenUsage } from '../intent-model.js';
import { conductorErrorFromApi } from './api-error.js';
import type { Interpretation } from './interpretation.js';
import { modelProfile, type ToolChoiceMode } from './model-profile.js';
import { userContent } from './request-context.js';
import { loadSystemPrompt } from './system-prompt.js';
import { CACHE_MARKER, toolSetFor } from './tool-set.js';

/** The current Sonnet. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;
/** Enough for a tool call, and for the short thinking adaptive models do first. */
export const MAX_TOKENS = 4096;

export interface AnthropicModelOptions {
  apiKey: string;
  /** Default: {@link DEFAULT_ANTHROPIC_MODEL}. */
  model?: string;
  /** Where the Messages API is; default the SDK's (ANTHROPIC_BASE_URL, else api.anthropic.com). */
  baseURL?: string;
  /** Per attempt; the SDK retries timeouts like other temporary failures. */
  timeoutMs?: number;
  /** Retries of temporary failures (429, 5xx, 529, timeouts, lost connections), by the SDK. */
  maxRetries?: number;
  /** A fetch to send requests with (tests, recording and replaying evals). */
  fetch?: typeof globalThis.fetch;
  /** The directory holding system.md; default the package's `prompts/`. */
  promptsDir?: string;
  /**
   * `any` makes the API guarantee a tool call; models of the 5.x generation reject it, so the default comes from the
   * model (see model-profile.ts).
   */
  toolChoice?: ToolChoiceMode;
}

type ToolUse = Anthropic.ToolUseBlock;

/** What one response meant. */
type Reading =
  | { status: 'call'; toolUse: ToolUse; others: ToolUse[]; interpretation: Interpretation }
  | { status: 'unknown-tool'; toolUse: ToolUse; others: ToolUse[] }
  | { status: 'no-call' }
  | { status: 'refused' };

export function createAnthropicModel(options: AnthropicModelOptions): IntentModel {
  const apiKey = options.apiKey?.trim() ?? '';
  if (!apiKey) {
    throw new ConductorError({
      code: 'anthropic-key-missing',
      summary: 'The anthropic model needs an API key, and none was given.',
      detail: 'Set ANTHROPIC_API_KEY, or use --model offline for the built-in parser.',
      exitCode: 2,
    });
  }
  const model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const profile = modelProfile(model, options.toolChoice);
  const client = new Anthropic({
    apiKey,
    timeout: timeoutMs,
    maxRetries,
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    // The SDK's log lines go to stderr: stdout may be carrying JSON (`conductor intent --json`).
    logger: new Console({ stdout: process.stderr, stderr: process.stderr }),
  });
  const errorContext = { apiKey, model, baseURL: client.baseURL, timeoutMs, maxRetries };
  let systemPrompt: Promise<string> | undefined;

  async function send(
    system: string,
    tools: Anthropic.Tool[],
    messages: Anthropic.MessageParam[],
    signal: AbortSignal | undefined,
  ): Promise<Anthropic.Message> {
    const body: Anthropic.MessageCreateParamsNonStreaming = {
      model,
      max_tokens: MAX_TOKENS,
      system: [{ type: 'text', text: system, cache_control: CACHE_MARKER }],
      tools,
      tool_choice: { type: profile.toolChoice, disable_parallel_tool_use: true },
      ...(profile.effort ? { output_config: { effort: profile.effort } } : {}),
      messages,
    };
    try {
      return await client.messages.create(body, signal ? { signal } : undefined);
    } catch (error) {
      throw conductorErrorFromApi(error, errorContext);
    }
  }

  return {
    kind: 'anthropic',
    label: `Claude (${model})`,
    async parse(text: string, context: IntentContext): Promise<IntentResult> {
      systemPrompt ??= loadSystemPrompt(options.promptsDir);
      const system = await systemPrompt.catch((error: unknown) => {
        systemPrompt = undefined;
        throw error;
      });
      const toolSet = toolSetFor(context.patterns);
      const usage: TokenUsage = {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
      };
      let requests = 0;
      let answeredBy = model;

      const ask = async (messages: Anthropic.MessageParam[]): Promise<Anthropic.Message> => {
        requests += 1;
        const response = await send(system, toolSet.tools, messages, context.signal);
        addUsage(usage, response.usage);
        if (response.model) answeredBy = response.model;
        return response;
      };
      const read = (response: Anthropic.Message): Reading => {
        if (response.stop_reason === 'refusal') return { status: 'refused' };
        const [toolUse, ...others] = response.content.filter(
          (block): block is ToolUse => block.type === 'tool_use',
        );
        if (!toolUse) return { status: 'no-call' };
        const interpretation = toolSet.interpret(toolUse.name, toolUse.input, context);
        return interpretation
          ? { status: 'call', toolUse, others, interpretation }
          : { status: 'unknown-tool', toolUse, others };
      };
      const result = (intent: Intent): IntentResult => ({
        intent: intentSchema.parse(intent),
        model: answeredBy,
        usage,
        requests,
      });

      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: userContent(text, context) }];
      const first = await ask(messages);
      const firstReading = read(first);
      if (firstReading.status === 'refused') return result(refusedIntent());
      if (firstReading.status === 'call' && firstReading.interpretation.problems.length === 0) {
        return result(firstReading.interpretation.intent);
      }

      // The repair round: Claude's answer, then what was wrong with it, once.
      if (first.content.length > 0) {
        messages.push({ role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] });
      }
      messages.push({ role: 'user', content: repairContent(firstReading) });
      const secondReading = read(await ask(messages));
      if (secondReading.status === 'refused') return result(refusedIntent());
      const settled =
        secondReading.status === 'call'
          ? secondReading
          : firstReading.status === 'call'
            ? firstReading
            : undefined;
      if (!settled) {
        const called = secondReading.status === 'unknown-tool' ? secondReading.toolUse.name : undefined;
        throw new ConductorError({
          code: 'anthropic-no-intent',
          summary: `Claude did not choose one of Conductor's actions, even when asked again${called ? ` (it called "${called}", which does not exist)` : ''}.`,
          detail: 'Nothing was changed. Say the request again in other words, or use --model offline.',
        });
      }
      const { intent, problems } = settled.interpretation;
      if (problems.length === 0) return result(intent);
      return result({
        ...intent,
        notes: [...(intent.notes ?? []), ...problems.map((problem) => problem.message)],
      });
    },
  };
}

/** Claude declined to answer (a safety refusal): nothing to do, and the person is told so. */
function refusedIntent(): Intent {
  return { kind: 'unsupported', notes: ['Claude declined this request.'] };
}

/** What goes back to Claude in the repair round. */
function repairContent(reading: Reading): Anthropic.ContentBlockParam[] {
  if (reading.status === 'no-call' || reading.status === 'refused') {
    return [
      {
        type: 'text',
        text: 'Answer by calling exactly one of the tools. A reply in text cannot be used.',
      },
    ];
  }
  const message =
    reading.status === 'unknown-tool'
      ? `There is no tool named "${reading.toolUse.name}". Call exactly one of the tools you were given.`
      : [
          `The input of ${reading.toolUse.name} was not accepted:`,
          ...reading.interpretation.problems.map((problem) => `- ${problem.message}`),
          'Call one tool again with corrected input. Leave out parameters the request does not give; never guess a required one.',
        ].join('\n');
  return [
    { type: 'tool_result', tool_use_id: reading.toolUse.id, is_error: true, content: message },
    ...reading.others.map(
      (other): Anthropic.ToolResultBlockParam => ({
        type: 'tool_result',
        tool_use_id: other.id,
        is_error: true,
        content: 'Only one tool call is used per request; this one was ignored.',
      }),
    ),
  ];
}

function addUsage(total: TokenUsage, usage: Anthropic.Usage | undefined): void {
  if (!usage) return;
  total.inputTokens += usage.input_tokens ?? 0;
  total.outputTokens += usage.output_tokens ?? 0;
  total.cacheReadInputTokens += usage.cache_read_input_tokens ?? 0;
  total.cacheCreationInputTokens += usage.cache_creation_input_tokens ?? 0;
}
