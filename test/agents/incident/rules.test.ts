import { describe, expect, it } from 'vitest';
import { beadReason, type BeadFacts } from '../../../src/agents/incident/rules.js';

const facts = (over: Partial<BeadFacts>): BeadFacts => ({
  transition: 'opened',
  firstNotice: true,
  severity: 'critical',
  failed: false,
  fixable: true,
  opens: 1,
  beadOpen: false,
  ...over,
});

describe('beadReason (ARG-002: one bead per incident, only when a person must act)', () => {
  it.each([
    [
      'a fix under way (restart attempt 1 or 2 failed) files nothing',
      facts({ transition: 'ongoing', firstNotice: false }),
      null,
    ],
    [
      'the fix failed for good',
      facts({ transition: 'ongoing', firstNotice: false, failed: true }),
      'automatic remediation failed',
    ],
    ['…but not twice while its bead is open', facts({ transition: 'ongoing', failed: true, beadOpen: true }), null],
    ['nothing can fix it, at opening', facts({ fixable: false }), 'no automatic remediation exists'],
    [
      'nothing can fix it, first told when it became worth telling (info → warning)',
      facts({ transition: 'worse', firstNotice: true, fixable: false }),
      'no automatic remediation exists',
    ],
    [
      'nothing can fix it, a reminder files nothing more',
      facts({ transition: 'renotify', firstNotice: false, fixable: false }),
      null,
    ],
    ['a third opening in 24 h', facts({ opens: 3 }), 'opened 3 times in 24 h'],
    ['info never gets a bead', facts({ severity: 'info', fixable: false, failed: true }), null],
  ] as const)('%s', (_name, f, expected) => {
    expect(beadReason(f)).toBe(expected);
  });
});
