// Failures of the Messages API: the SDK retries what is temporary (its own timeout and maxRetries options), and what
// is left becomes a ConductorError with a stable code, a one-line summary and a detail that says what to do. The API
// key never appears in any of it.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../../../src/agent/anthropic/index.js';
import { ConductorError } from '../../../src/model/conductor-error.js';
import {
  overloaded,
  rateLimited,
  startFakeMessagesServer,
  toolCall,
  unauthorized,
} from '../../support/fake-messages-server.js';
import { API_KEY, context, harness } from './harness.js';

async function failure(promise: Promise<unknown>): Promise<ConductorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ConductorError.isInstance(error)).toBe(true);
  return error as ConductorError;
}

/** Every way the error can be shown or logged. */
function everyRendering(error: ConductorError): string {
  return [
    error.message,
    error.summary,
    error.detail,
    String(error),
    error.stack ?? '',
    inspect(error, { depth: 10 }),
    JSON.stringify(error),
  ].join('\n');
}

function expectNoKey(error: ConductorError): void {
  expect(everyRendering(error).includes(API_KEY)).toBe(false);
  expect(everyRendering(error).includes(API_KEY.slice(0, 20))).toBe(false);
}

describe('retries by the SDK', () => {
  it('retries a 429 after the time retry-after says, then succeeds', async () => {
    const { server, model } = await harness([rateLimited(), toolCall('game-server', { game: 'minecraft' })], {
      maxRetries: 2,
    });
    const result = await model.parse('deploy minecraft', context());
    expect(result.intent.pattern).toBe('game-server');
    expect(server.messageRequests).toHaveLength(2);
    expect(server.messageRequests[1]!.headers['x-stainless-retry-count']).toBe('1');
    // The retry is the SDK's: one request as far as the parse is concerned, with the same body.
    expect(result.requests).toBe(1);
    expect(server.messageRequests[1]!.rawBody).toBe(server.messageRequests[0]!.rawBody);
  });

  it('retries a 529 and succeeds when the API recovers', async () => {
    const { server, model } = await harness(
      [overloaded(), overloaded(), toolCall('answer_query', { question: 'What runs?' })],
      {
        maxRetries: 2,
      },
    );
    const result = await model.parse('what runs?', context());
    expect(result.intent.kind).toBe('query');
    expect(server.messageRequests).toHaveLength(3);
  });
});

describe('errors', () => {
  it('529 until the retries are used up: anthropic-overloaded', async () => {
    const { server, model } = await harness([overloaded(), overloaded(), overloaded()], { maxRetries: 2 });
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-overloaded');
    expect(error.summary).toBe('Claude is overloaded right now (tried 3 times).');
    expect(error.detail).toContain('--model offline');
    expect(error.summary).not.toContain('\n');
    expect(server.messageRequests).toHaveLength(3);
    expectNoKey(error);
  });

  it('429 until the retries are used up: anthropic-rate-limited', async () => {
    const { model } = await harness([rateLimited(), rateLimited()], { maxRetries: 1 });
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-rate-limited');
    expect(error.summary).toBe("Claude's rate limit was reached (tried 2 times).");
    expectNoKey(error);
  });

  it('401: anthropic-auth, not retried, a usage error, and the key is not repeated', async () => {
    const { server, model } = await harness([unauthorized(`invalid x-api-key ${API_KEY}`)], {
      maxRetries: 2,
    });
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-auth');
    expect(error.exitCode).toBe(2);
    expect(error.detail).toContain('ANTHROPIC_API_KEY');
    expect(server.messageRequests).toHaveLength(1);
    expectNoKey(error);
  });

  it('an answer slower than timeoutMs: anthropic-timeout, after the SDK retried it', async () => {
    const slow = { ...toolCall('game-server', { game: 'minecraft' }), delayMs: 2_000 };
    const { server, model } = await harness([slow, slow], { timeoutMs: 150, maxRetries: 1 });
    const started = Date.now();
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-timeout');
    expect(error.summary).toBe('Claude did not answer within 150 ms (tried 2 times).');
    expect(error.detail).toContain('agent.timeoutMs');
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(server.messageRequests).toHaveLength(2);
    expectNoKey(error);
  });

  it('nothing listening: anthropic-unreachable, naming where it tried', async () => {
    const closed = await startFakeMessagesServer();
    await closed.close();
    const model = createAnthropicModel({ apiKey: API_KEY, baseURL: closed.url, maxRetries: 0 });
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-unreachable');
    expect(error.summary).toBe(`Could not reach the Anthropic API at ${closed.url} (tried once).`);
    expectNoKey(error);
  });

  it('an unknown model: anthropic-model-not-found', async () => {
    const { model } = await harness(
      [{ type: 'error', status: 404, errorType: 'not_found_error', message: 'model: claude-nonexistent' }],
      { model: 'claude-nonexistent' },
    );
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-model-not-found');
    expect(error.summary).toBe(
      'The Anthropic API does not know the model claude-nonexistent: model: claude-nonexistent.',
    );
    expect(error.detail).toContain('agent.anthropicModel');
  });

  it('a rejected request: anthropic-bad-request, with what the API said', async () => {
    const { model } = await harness([
      {
        type: 'error',
        status: 400,
        errorType: 'invalid_request_error',
        message: 'tool_choice.type: forced tool use is not supported for this model',
      },
    ]);
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-bad-request');
    expect(error.summary).toBe(
      'The Anthropic API rejected the request: tool_choice.type: forced tool use is not supported for this model.',
    );
  });

  it('a 500 until the retries are used up: anthropic-server-error', async () => {
    const { model } = await harness([
      { type: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' },
    ]);
    const error = await failure(model.parse('deploy minecraft', context()));
    expect(error.code).toBe('anthropic-server-error');
    expect(error.summary).toBe(
      'The Anthropic API failed with status 500 (tried once): Internal server error.',
    );
  });

  it('the caller cancels: cancelled', async () => {
    const { model } = await harness([{ ...toolCall('game-server', { game: 'minecraft' }), delayMs: 2_000 }]);
    const controller = new AbortController();
    const parsing = model.parse('deploy minecraft', context({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await failure(parsing);
    expect(error.code).toBe('cancelled');
  });

  it('no API key: refused before anything is sent', () => {
    expect(() => createAnthropicModel({ apiKey: '  ' })).toThrow(
      expect.objectContaining({ code: 'anthropic-key-missing', exitCode: 2 }),
    );
  });
});
