// A tool registry: a frozen list of tools checked for unique, well-formed names. Knows no agent.
import { ArgusError } from '../errors.js';
import { TOOL_NAME_PATTERN } from './define.js';
import type { ToolDef, ToolRegistry } from './tool.js';

/** Freeze a list of tools into a registry; throws ArgusError('tool_registry_invalid') on a duplicate or malformed name. */
export function createToolRegistry(tools: readonly ToolDef[]): ToolRegistry {
  const problems = checkToolNames(tools);
  if (problems.length) throw new ArgusError('tool_registry_invalid', `invalid tool registry: ${problems.join('; ')}`);
  return Object.freeze([...tools]);
}

/** Problems with the names: duplicates, or not verb-first snake_case (≤ 40 chars). Empty when all is well. */
export function checkToolNames(tools: readonly ToolDef[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { name } of tools) {
    if (seen.has(name)) problems.push(`duplicate tool name "${name}"`);
    seen.add(name);
    if (name.length > 40 || !TOOL_NAME_PATTERN.test(name))
      problems.push(`"${name}" is not a short verb-first snake_case name`);
  }
  return problems;
}

/** A named subset of the registry (a micro-agent's tools); unknown names are an error, not silently dropped. */
export function pickTools(registry: ToolRegistry, names: readonly string[]): ToolDef[] {
  return names.map((n) => {
    const def = registry.find((t) => t.name === n);
    if (!def) throw new ArgusError('tool_unknown', `no tool named "${n}" in the registry`);
    return def;
  });
}
