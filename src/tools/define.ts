// Helpers to declare tools: erase the input type for the registry, and the hint sets most tools share.
import type { z } from 'zod';
import type { ToolAnnotations, ToolDef } from './tool.js';

/** Keep `run` typed against its own schema while the registry holds plain `ToolDef`s. */
export function defineTool<S extends z.ZodObject>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

/** Diagnostics: read state or the host, change nothing, same answer for the same world. */
export const READ_ONLY: Omit<ToolAnnotations, 'title'> = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** Verb-first snake_case, 3–40 characters: what STYLE.md asks and what MCP clients can prefix. */
export const TOOL_NAME_PATTERN =
  /^(get|query|list|find|search|restart|kill|alert|log|create|clean|check|read|set|send|diagnose|summarize|silence)(_[a-z0-9]+)*$/;
