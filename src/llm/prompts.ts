// System prompts live in prompts/<agent>.md at the package root, found from this module's URL (src/ and dist/ alike).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type PromptName = 'rca' | 'evaluator' | 'planner' | 'chronicler';

/**
 * `src/llm/prompts.ts` and `dist/llm/prompts.js` are both two levels below the package root, so
 * `../../prompts/` resolves to the same directory from either.
 */
export function promptPath(name: PromptName, moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL(`../../prompts/${name}.md`, moduleUrl));
}

export function loadPrompt(name: PromptName, moduleUrl?: string): string {
  return readFileSync(promptPath(name, moduleUrl), 'utf8');
}
