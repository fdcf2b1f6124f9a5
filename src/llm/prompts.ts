// System prompts live in prompts/<agent>.md at the package root, found from this module's URL (src/ and dist/ alike).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type PromptName = 'rca' | 'evaluator' | 'planner' | 'chronicler';

/**
 * `src/llm/prompts.ts`, `dist/llm/prompts.js` and the bundle's `dist/bin/*.js` are all two levels below the package
 * root, so `../../prompts/` is the usual answer; a deeper build (the benchmark's `dist-bench/src/llm/`) walks up
 * to the nearest directory holding `prompts/<name>.md`.
 */
export function promptPath(name: PromptName, moduleUrl: string = import.meta.url): string {
  const usual = fileURLToPath(new URL(`../../prompts/${name}.md`, moduleUrl));
  if (existsSync(usual)) return usual;
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'prompts', `${name}.md`);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return usual;
}

export function loadPrompt(name: PromptName, moduleUrl?: string): string {
  return readFileSync(promptPath(name, moduleUrl), 'utf8');
}
