// The Anthropic face of the tool registry: a ToolDef becomes a tool param (name, description, JSON Schema).
import { z } from 'zod';
import type { ToolDef, ToolRegistry } from './tool.js';

/** A tool as the Messages API takes it. */
export interface ModelToolParam {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

export function toAnthropicTool(def: ToolDef): ModelToolParam {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { name: def.name, description: def.description, input_schema: { type: 'object', ...schema } };
}

export function toAnthropicTools(tools: ToolRegistry): ModelToolParam[] {
  return tools.map(toAnthropicTool);
}
