// A tool is data: name, description for a model, zod input schema, MCP annotations, handler. One registry, two faces.
import type { z } from 'zod';

export interface ToolAnnotations {
  title?: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Who is calling: recorded with every action attempt. */
export interface ToolCallContext {
  source: 'llm' | 'mcp' | 'cli';
  /** The incident a micro-agent works on, if any. */
  identity?: string | null;
  incidentId?: string | null;
  signal?: AbortSignal;
}

/** Something the model should see and adapt to: becomes an `is_error` tool result. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly structured?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  /** Verb-first snake_case, short (MCP clients prefix it). */
  name: string;
  title: string;
  /** Written for a model: what it does, when to use it, what it returns. */
  description: string;
  input: S;
  /** The shape of what `run` returns (MCP `outputSchema`; clients validate `structuredContent` against it). */
  output?: z.ZodObject;
  annotations: ToolAnnotations;
  /**
   * `run` validates raw input itself and records refusals (the action tools: the gate's schema step), so adapters
   * pass arguments through unparsed: a malformed action call is refused AND recorded, whoever sends it.
   */
  validatesInput?: boolean;
  /** Input is already validated by the adapter (unless `validatesInput`). Return JSON-serialisable structured content. */
  run(input: z.infer<S>, ctx: ToolCallContext): Promise<Record<string, unknown>>;
}

export type ToolRegistry = readonly ToolDef[];
