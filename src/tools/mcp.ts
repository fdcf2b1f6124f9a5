// The MCP face of the tool registry: each ToolDef registered on an McpServer, results as text + structured content.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Log } from '../log.js';
import { ToolError, type ToolCallContext, type ToolDef, type ToolRegistry } from './tool.js';

export interface RegisterOptions {
  source?: ToolCallContext['source'];
  log?: Log;
  /** Largest number of array elements + object members one call may carry (default 2,000). */
  maxInputElements?: number;
  /** Hears every call refused here, before any tool ran (too large, unknown tool, invalid arguments): to be recorded. */
  onRefused?: (tool: string, reason: string) => void;
}

/** Array elements and object members in `value`, counting stops just past `max` (cheap on a huge input). */
export function countElements(value: unknown, max: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (++count > max) return count;
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return count;
}

/**
 * Register every tool, and dispatch calls ourselves (see below). Arguments are validated against `def.input` before
 * `run` (invalid → an isError result naming the field), except for tools that validate their own input (the actions,
 * whose gate records the refusal). Every call is first held to the size limit. A ToolError becomes an isError result
 * with its message and structured content; any other throw an isError "internal error" (logged, never a stack).
 */
export function registerTools(server: McpServer, registry: ToolRegistry, options: RegisterOptions = {}): void {
  const source = options.source ?? 'mcp';
  const log = options.log;
  const maxElements = options.maxInputElements ?? 2000;
  const refuse = (tool: string, reason: string): CallToolResult => {
    options.onRefused?.(tool, reason);
    return { content: [{ type: 'text', text: reason }], isError: true };
  };
  for (const def of registry) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: def.input,
        ...(def.output ? { outputSchema: def.output } : {}),
        annotations: { ...def.annotations, title: def.annotations.title ?? def.title },
      },
      (args, extra) => callTool(def, args as Record<string, unknown>, { source, signal: extra.signal }, log),
    );
  }
  // Calls are dispatched here rather than by the SDK, which validates arguments before any handler runs: an action
  // call with malformed arguments must still reach the gate, to be refused with its reason and recorded (source mcp).
  // Replacing the SDK's handler also drops its size check, so the limit is enforced here, first.
  const byName = new Map(registry.map((d) => [d.name, d]));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = String(request.params.name).slice(0, 100);
    const def = byName.get(request.params.name);
    if (!def) return refuse(name, `no such tool: ${name}`);
    const raw = request.params.arguments ?? {};
    if (countElements(raw, maxElements) > maxElements)
      return refuse(def.name, `arguments for ${def.name} refused: more than ${maxElements} elements`);
    const ctx = { source, signal: extra.signal };
    if (def.validatesInput) return callTool(def, raw, ctx, log);
    const parsed = def.input.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
      return refuse(def.name, `invalid arguments for ${def.name}: ${why}`);
    }
    return callTool(def, parsed.data as Record<string, unknown>, ctx, log);
  });
}

/** Run one tool and shape its outcome as an MCP CallToolResult. */
export async function callTool(
  def: ToolDef,
  args: Record<string, unknown>,
  ctx: ToolCallContext,
  log?: Log,
): Promise<CallToolResult> {
  try {
    const structured = await def.run(args, ctx);
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    if (error instanceof ToolError) {
      const text = error.structured ? `${error.message}\n${JSON.stringify(error.structured)}` : error.message;
      return {
        content: [{ type: 'text', text }],
        ...(error.structured ? { structuredContent: error.structured } : {}),
        isError: true,
      };
    }
    log?.error({ tool: def.name, err: error }, 'tool failed');
    return {
      content: [{ type: 'text', text: `internal error in ${def.name}: ${(error as Error)?.message ?? String(error)}` }],
      isError: true,
    };
  }
}
