// What a request means, as DESIGN.md defines it: the only thing an intent model (Claude or the offline parser) hands
// to the rest of Conductor. Everything after it (pattern, plan, policies, approval) is ordinary code.
import { z } from 'zod';

export const INTENT_KINDS = [
  'deploy',
  'modify',
  'destroy',
  'query',
  'troubleshoot',
  'restore',
  'unsupported',
] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

export const intentSchema = z.object({
  kind: z.enum(INTENT_KINDS),
  /** deploy: the pattern chosen. */
  pattern: z.string().optional(),
  /** deploy: what the request stated or implied, after defaults are applied. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** deploy: required parameters the request did not give. */
  missing: z.array(z.string()).optional(),
  /** modify / destroy / troubleshoot / restore: the deployment meant. */
  target: z.string().optional(),
  /** modify: parameters to change, by name, with their new values. */
  changes: z.record(z.string(), z.unknown()).optional(),
  /** query: what is asked. */
  question: z.string().optional(),
  /** troubleshoot: what is wrong, in the user's words. */
  symptom: z.string().optional(),
  /** restore: the time to go back to, as an ISO timestamp. */
  at: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  notes: z.array(z.string()).optional(),
});
export type Intent = z.infer<typeof intentSchema>;
