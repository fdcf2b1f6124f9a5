// Loads scenario files (one JSON file, or every *.json of a directory, sorted) and validates them with the schema.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioSchema, type Scenario } from './scenario.js';

export type Loaded = { ok: true; file: string; scenario: Scenario } | { ok: false; file: string; error: string };

export function scenarioFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(path, n));
}

export function loadScenario(file: string): Loaded {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, file, error: `not readable JSON: ${(error as Error).message}` };
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, file, error: `not a valid scenario: ${issues.join('; ')}` };
  }
  return { ok: true, file, scenario: parsed.data };
}
