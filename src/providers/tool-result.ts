// What a tool call returns, in Conductor's own types (the SDK stays inside mcp-connection.ts), and how drivers read it:
// the structured content when the server sends one, else the JSON inside its text content.

export interface ToolContent {
  type: string;
  text?: string;
}

export interface ToolResult {
  content: ToolContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface ToolDescription {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

export interface ServerInfo {
  name: string;
  version: string;
}

/** A tool result as an adapter reads it. */
export interface ToolOutput {
  /** `structuredContent`, else the text content parsed as JSON, else undefined. */
  data: unknown;
  /** Every text block, joined by newlines. */
  text: string;
  isError: boolean;
}

export function readToolOutput(result: ToolResult): ToolOutput {
  const text = (result.content ?? [])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('\n');
  return { data: result.structuredContent ?? parseJson(text), text, isError: result.isError === true };
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
