// The MCP face of the tool registry: each ToolDef registered on an McpServer, results as text + structured content.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Log } from '../log.js';
import { ToolError, type ToolCallContext, type ToolDef, type ToolRegistry } from './tool.js';

/**
 * Register every tool. The SDK validates arguments against `def.input` before the handler runs (invalid → an
 * isError result naming the field), so `run` gets parsed input. A ToolError becomes an isError result with its
 * message and structured content; any other throw an isError "internal error" (logged, never a stack to the client).
 */
export function registerTools(
  server: McpServer,
  registry: ToolRegistry,
  source: ToolCallContext['source'] = 'mcp',
  log?: Log,
): void {
  for (const def of registry) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: def.input,
        annotations: { ...def.annotations, title: def.annotations.title ?? def.title },
      },
      (args, extra) => callTool(def, args as Record<string, unknown>, { source, signal: extra.signal }, log),
    );
  }
  // Calls are dispatched here rather than by the SDK, which validates arguments before any handler runs: an action
  // call with malformed arguments must still reach the gate, to be refused with its reason and recorded (source mcp).
  const byName = new Map(registry.map((d) => [d.name, d]));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const def = byName.get(request.params.name);
    if (!def) return { content: [{ type: 'text', text: `no such tool: ${request.params.name}` }], isError: true };
    const raw = request.params.arguments ?? {};
    const ctx = { source, signal: extra.signal };
    if (def.validatesInput) return callTool(def, raw, ctx, log);
    const parsed = def.input.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
      return { content: [{ type: 'text', text: `invalid arguments for ${def.name}: ${why}` }], isError: true };
    }
    return callTool(def, parsed.data as Record<string, unknown>, ctx, log);
  });
}

/** Run one tool and shape its outcome as an MCP CallToolResult. */
export async function callTool(def: ToolDef, args: Record<string, unknown>, ctx: ToolCallContext, log?: Log): Promise<CallToolResult> {
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
    return { content: [{ type: 'text', text: `internal error in ${def.name}: ${(error as Error)?.message ?? String(error)}` }], isError: true };
  }
}
