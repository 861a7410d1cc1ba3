// Recorded Messages API responses, one file per eval case: `<dir>/<case-id>.json`. `--model anthropic --record DIR`
// writes them (through a fetch that keeps a copy of each response); `--model replay DIR` serves them again to the real
// SDK (replay-server.ts), so the Claude path runs in CI without a key. A case usually has one response; a repair round
// makes two. Request bodies are not kept: they are the same system prompt and tools every time, and the key is in
// the headers.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from './cases.js';

/** Response headers worth keeping: what the SDK reads (type, request id, retry advice). No account identifiers. */
const KEPT_HEADERS = [
  'content-type',
  'request-id',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
] as const;

export const recordedResponseSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).default({}),
  /** The response body: JSON as an object (readable in review), anything else as the exact text. */
  body: z.unknown(),
});
export type RecordedResponse = z.infer<typeof recordedResponseSchema>;

export const recordingSchema = z.object({
  /** The case id; the file is named after it. */
  id: z.string(),
  /** The request text the responses answered: a case whose input changed since has a stale recording. */
  input: z.string().optional(),
  /** `captured` from the API, or `hand-authored` in its format. */
  source: z.string().optional(),
  recordedAt: z.string().optional(),
  responses: z.array(recordedResponseSchema).min(1),
});
export type Recording = z.infer<typeof recordingSchema>;

/** The package's shipped recordings: `evals/recordings`. */
export function defaultRecordingsDir(): string {
  return join(packageRoot() ?? process.cwd(), 'evals', 'recordings');
}

export function recordingPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

export type ReadRecordingResult =
  | { status: 'found'; recording: Recording }
  | { status: 'missing' }
  | { status: 'invalid'; message: string };

/** A case's recording; a plain list of responses is accepted too. Never throws for a bad or missing file. */
export async function readRecording(dir: string, id: string): Promise<ReadRecordingResult> {
  const path = recordingPath(dir, id);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid', message: `${path} cannot be read: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { status: 'invalid', message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = recordingSchema.safeParse(Array.isArray(value) ? { id, responses: value } : value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      status: 'invalid',
      message: `${path} is not a recording (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}).`,
    };
  }
  return { status: 'found', recording: parsed.data };
}

export async function writeRecording(dir: string, recording: Recording): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = recordingPath(dir, recording.id);
  await writeFile(path, `${JSON.stringify(recording, null, 2)}\n`);
  return path;
}

/** The body as it goes back on the wire. */
export function responseText(response: RecordedResponse): string {
  return typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
}

export interface RecordingFetch {
  /** Pass to createAnthropicModel({ fetch }). */
  fetch: typeof globalThis.fetch;
  /** The Messages API responses since the last call, in order; starts a new list. */
  take(): RecordedResponse[];
}

/** A fetch that sends each request on and keeps a copy of each Messages API response. */
export function recordingFetch(base: typeof globalThis.fetch = globalThis.fetch): RecordingFetch {
  let responses: RecordedResponse[] = [];
  const recording: typeof globalThis.fetch = async (input, init) => {
    const response = await base(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname.endsWith('/v1/messages')) {
      const text = await response.clone().text();
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      responses.push({ status: response.status, headers, body: parseJson(text) ?? text });
    }
    return response;
  };
  return {
    fetch: recording,
    take() {
      const taken = responses;
      responses = [];
      return taken;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
