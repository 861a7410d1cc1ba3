// Failures of the Messages API as Conductor errors: a stable code, one line on what happened and a detail that says
// what to do. The SDK has already retried what is worth retrying (429, 5xx, 529, timeouts, lost connections) when one
// of these is made. The API key never appears: every text taken from the error is scrubbed of it first.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { ConductorError } from '../../model/conductor-error.js';

export interface ApiErrorContext {
  apiKey: string;
  model: string;
  /** Where requests go: the SDK's base URL. */
  baseURL: string;
  timeoutMs: number;
  maxRetries: number;
}

const OFFLINE_HINT = 'Or use --model offline, which needs no network.';

export function conductorErrorFromApi(error: unknown, context: ApiErrorContext): ConductorError {
  if (ConductorError.isInstance(error)) return error;
  const scrub = (text: string) => redact(text, context.apiKey);
  const tries = context.maxRetries + 1;
  const triedTimes = tries === 1 ? 'once' : `${tries} times`;
  const apiMessage = error instanceof APIError && error.apiMessage ? scrub(error.apiMessage) : undefined;
  const said = apiMessage ? `: ${apiMessage}` : '';
  const make = (code: string, summary: string, detail: string, exitCode = 1) =>
    new ConductorError({
      code,
      summary: scrub(summary),
      detail: scrub(detail),
      exitCode,
      cause: scrubbedCause(error, scrub),
    });

  if (error instanceof APIUserAbortError) {
    return make(
      'cancelled',
      'The request to Claude was cancelled.',
      'Nothing was changed. Ask again when ready.',
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return make(
      'anthropic-timeout',
      `Claude did not answer within ${seconds(context.timeoutMs)} (tried ${triedTimes}).`,
      `The API at ${context.baseURL} may be slow or unreachable. Try again, or raise agent.timeoutMs in the config. ${OFFLINE_HINT}`,
    );
  }
  if (error instanceof APIConnectionError) {
    return make(
      'anthropic-unreachable',
      `Could not reach the Anthropic API at ${context.baseURL} (tried ${triedTimes}).`,
      `Check the network connection, any proxy, and ANTHROPIC_BASE_URL if it is set. ${OFFLINE_HINT}`,
    );
  }
  if (error instanceof AuthenticationError) {
    return make(
      'anthropic-auth',
      'The Anthropic API did not accept the API key.',
      `Check ANTHROPIC_API_KEY: it must be a current key of your Anthropic Console account. ${OFFLINE_HINT}`,
      2,
    );
  }
  if (error instanceof PermissionDeniedError) {
    return make(
      'anthropic-permission',
      `The API key may not use ${context.model}${said}.`,
      `Use a key of a workspace that may use this model, or choose another model with agent.anthropicModel. ${OFFLINE_HINT}`,
      2,
    );
  }
  if (error instanceof NotFoundError) {
    return make(
      'anthropic-model-not-found',
      `The Anthropic API does not know the model ${context.model}${said}.`,
      'Set agent.anthropicModel in the config to a current model name, e.g. claude-sonnet-5-5.',
      2,
    );
  }
  if (error instanceof RateLimitError) {
    return make(
      'anthropic-rate-limited',
      `Claude's rate limit was reached (tried ${triedTimes}).`,
      `Wait a minute and ask again, or raise the limits of your Anthropic account. ${OFFLINE_HINT}`,
    );
  }
  if (error instanceof APIError && error.status === 529) {
    return make(
      'anthropic-overloaded',
      `Claude is overloaded right now (tried ${triedTimes}).`,
      `This is temporary on Anthropic's side. Ask again in a moment, or raise agent.maxRetries in the config. ${OFFLINE_HINT}`,
    );
  }
  if (error instanceof BadRequestError || (error instanceof APIError && error.status === 413)) {
    return make(
      'anthropic-bad-request',
      `The Anthropic API rejected the request${said}.`,
      `This is a bug in Conductor or a model that does not accept its requests (model ${context.model}); report it with this message, or choose another model with agent.anthropicModel. ${OFFLINE_HINT}`,
    );
  }
  if (error instanceof APIError && typeof error.status === 'number' && error.status >= 500) {
    return make(
      'anthropic-server-error',
      `The Anthropic API failed with status ${error.status} (tried ${triedTimes})${said}.`,
      `This is on Anthropic's side. Ask again in a moment. ${OFFLINE_HINT}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return make(
    'anthropic-failed',
    `The request to Claude failed: ${firstLine(message)}`,
    `Try again; if it keeps failing, report it with this message. ${OFFLINE_HINT}`,
  );
}

/** The text with every occurrence of the key replaced. */
export function redact(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/** The SDK error, kept for debugging, but as a plain Error whose message is scrubbed; no request, no headers. */
function scrubbedCause(error: unknown, scrub: (text: string) => string): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const cause = new Error(scrub(error instanceof Error ? error.message : String(error)));
  cause.name = name;
  if (error instanceof APIError) {
    Object.assign(cause, {
      status: error.status,
      requestID: error.requestID,
      type: error.type,
      errorCode: error.errorCode,
    });
  }
  return cause;
}

function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
