// A router driven by a fake clock: one call per cycle, state carried between calls.
import { emptyRouterState, route, type RouterState } from '../../../src/agents/router/route.js';
import type { Silence } from '../../../src/agents/router/silence.js';
import { ConfigSchema, type Config } from '../../../src/config/schema.js';
import { identityOf, type Finding, type FindingType, type Severity } from '../../../src/model/finding.js';

export const T0 = Date.parse('2026-02-19T10:00:00.000Z');
export const MIN = 60_000;

export function finding(type: FindingType, subject: string, severity: Severity = 'warning'): Finding {
  return {
    identity: identityOf(type, subject),
    type,
    subject,
    severity,
    description: `${type} ${subject} (${severity})`,
    source: 'rule',
    details: {},
  };
}

export class FakeRouter {
  state: RouterState = emptyRouterState();
  now = T0;
  readonly config: Config;
  silences: Silence[] = [];
  constructor(over: Record<string, unknown> = {}) {
    this.config = ConfigSchema.parse(over);
  }
  /** Route at the current time, then advance the clock by `stepMin` minutes (default one 5-minute cycle). */
  cycle(findings: Finding[], opts: { seen?: Set<string> | null; stepMin?: number } = {}) {
    const r = route(findings, this.state, {
      now: new Date(this.now),
      config: this.config,
      silences: this.silences,
      seen: opts.seen ?? null,
    });
    this.state = r.state;
    this.now += (opts.stepMin ?? 5) * MIN;
    return r;
  }
  /** Jump the clock to `min` minutes after T0. */
  at(min: number): this {
    this.now = T0 + min * MIN;
    return this;
  }
}
