// Crashes between looks (issue 12 §6): NRestarts rising or a new main PID on a unit up at both looks.
import { describe, expect, it } from 'vitest';
import { forgetUnitLevels } from '../../../../src/agents/evaluator/rules/service.js';
import { emptyEvaluatorState } from '../../../../src/agents/evaluator/state.js';
import type { Service } from '../../../../src/model/snapshot.js';
import { service, snapshot } from '../../../support/snapshot.js';
import { runCycles, trace } from '../helpers.js';

const looks = (...svcs: Array<Partial<Service>>) =>
  svcs.map((over) => snapshot({ services: [service('gw.service', over)] }));

describe('restarts between looks', () => {
  it('NRestarts +1 on a unit up at both looks is an info record; it lasts while the hour holds a restart', () => {
    const { perCycle } = runCycles(
      looks({ nRestarts: 0 }, { nRestarts: 1, mainPid: 2000 }, { nRestarts: 1, mainPid: 2000 }),
    );
    expect(trace(perCycle, 'restart:gw.service')).toEqual(['-', 'info', 'info']);
    expect(perCycle[1]?.find((f) => f.type === 'restart')?.description).toBe(
      'Service gw.service restarted between checks: 1 time in the last hour (systemd restarted it once (NRestarts 0 → 1))',
    );
  });

  it('three within an hour are a warning (an incident); a new main PID counts too', () => {
    const { perCycle } = runCycles(
      looks({ nRestarts: 0 }, { nRestarts: 1 }, { nRestarts: 1, mainPid: 3000 }, { nRestarts: 2, mainPid: 4000 }),
    );
    expect(trace(perCycle, 'restart:gw.service')).toEqual(['-', 'info', 'info', 'warning']);
  });

  it('the first look only sets a baseline; a unit down at either look is the down rule, not this one', () => {
    const { perCycle } = runCycles(
      looks(
        { nRestarts: 5 },
        { activeState: 'failed', result: 'exit-code', nRestarts: 5, mainPid: 0 },
        { nRestarts: 5, mainPid: 5000 },
      ),
    );
    expect(trace(perCycle, 'restart:gw.service')).toEqual(['-', '-', '-']);
  });

  it('after Argus restarted a unit itself, forgetting its levels keeps that restart from counting', () => {
    const first = runCycles(looks({ mainPid: 1000 }));
    forgetUnitLevels(first.state.levels, 'gw.service');
    const next = runCycles(looks({ mainPid: 1001 }), undefined, first.state);
    expect(trace(next.perCycle, 'restart:gw.service')).toEqual(['-']);
    // Without forgetting, the same change is a restart between looks.
    const kept = runCycles(looks({ mainPid: 1000 }));
    expect(trace(runCycles(looks({ mainPid: 1001 }), undefined, kept.state).perCycle, 'restart:gw.service')).toEqual([
      'info',
    ]);
    expect(emptyEvaluatorState().levels).toEqual({});
  });
});
