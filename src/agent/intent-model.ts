// The one interface both intent models implement: text in, a validated Intent out. A model only chooses a pattern and
// its parameters (or another intent kind); it never calls infrastructure tools. Nothing it returns skips plan, policy
// or approval.
import type { Intent } from '../model/intent.js';
import type { Pattern } from './pattern.js';

/** What the model may know about a deployment that exists: no properties, no outputs, nothing secret. */
export interface KnownDeployment {
  name: string;
  pattern?: string;
  /** The pattern parameters it was made from (patterns take no secrets as parameters). */
  params?: Record<string, unknown>;
}

export interface IntentContext {
  patterns: readonly Pattern[];
  /** Deployments in state: targets for modify, destroy, troubleshoot and restore. */
  deployments: readonly KnownDeployment[];
  /**
   * The deployment the conversation is about (the pending plan, or the one just applied), so "make it 8 GB" or
   * "actually use VLAN 21" has something to refer to.
   */
  focus?: KnownDeployment;
  /** The time "yesterday" and "an hour ago" are measured from; now when absent. */
  now?: Date;
  signal?: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export interface IntentResult {
  intent: Intent;
  /** Which model answered, e.g. `offline` or `claude-sonnet-4-5`. */
  model: string;
  /** Anthropic only: summed over the requests this parse made (a repair round is a second request). */
  usage?: TokenUsage;
  /** Number of requests sent to the API (1, or 2 with a repair round). */
  requests?: number;
}

export interface IntentModel {
  /** `offline`, `anthropic`, `replay`, `scripted`: shown to the user so they know what understood them. */
  readonly kind: string;
  /** A short description for the banner: "offline parser" or "Claude (claude-sonnet-4-5)". */
  readonly label: string;
  parse(text: string, context: IntentContext): Promise<IntentResult>;
}
