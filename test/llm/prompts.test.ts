import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPrompt, promptPath } from '../../src/llm/prompts.js';
import { toAnthropicTool } from '../../src/tools/anthropic.js';
import { actionTools } from './stubs.js';

describe('prompts', () => {
  it('resolves prompts/ at the package root from src/ and from dist/ alike', () => {
    expect(promptPath('rca', 'file:///opt/argus/src/llm/prompts.ts')).toBe('/opt/argus/prompts/rca.md');
    expect(promptPath('rca', 'file:///opt/argus/dist/llm/prompts.js')).toBe('/opt/argus/prompts/rca.md');
    expect(fs.existsSync(promptPath('planner'))).toBe(true);
  });

  it.each(['rca', 'evaluator', 'planner'] as const)(
    '%s says host text is data, asks for JSON only, allows abstaining',
    (name) => {
      const text = loadPrompt(name);
      expect(text).toContain('<host_data');
      expect(text).toMatch(/never (instructions|a request)/);
      expect(text).toMatch(/JSON only/);
    },
  );

  it('rca makes abstaining easy and claims evidence-backed', () => {
    const text = loadPrompt('rca');
    expect(text).toContain('`unknown`');
    expect(text).toContain('`healthy`');
    expect(text).toMatch(/evidence/);
  });
});

describe('toAnthropicTool', () => {
  it('turns the zod input into an object JSON Schema without $schema', () => {
    const t = toAnthropicTool(actionTools({ attempts: [], executed: [] }).find((d) => d.name === 'kill_pid')!);
    expect(t.name).toBe('kill_pid');
    expect(t.input_schema).toMatchObject({ type: 'object', required: ['pid', 'reason'], additionalProperties: false });
    expect(t.input_schema).not.toHaveProperty('$schema');
  });

  it('keeps defaults optional for the model (input view)', () => {
    const def = {
      ...actionTools({ attempts: [], executed: [] })[0]!,
      input: z.strictObject({ limit: z.number().default(10) }),
    };
    expect(toAnthropicTool(def).input_schema.required ?? []).toEqual([]);
  });
});
