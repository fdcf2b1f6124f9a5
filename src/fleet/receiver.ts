// The fleet receiver: `POST /alertmanager` in `argus serve`. Alertmanager's webhook is validated, the notification is
// remembered (a retry is recognised and answered at once), the answer is 200 before anything slow happens; then the
// group's one Telegram message (the `alert` action) and its bead (`create_bead`; closed by the bead keeper when the
// group resolves) go through the gate with source `alertmanager`, one at a time, each attempt recorded.
import express, { type NextFunction, type Request, type Response } from 'express';
import PQueue from 'p-queue';
import type { Log } from '../log.js';
import type { ActionResult } from '../model/action.js';
import type { ProblemRecord } from '../model/record.js';
import { pruneGroups, readGroups, REMEMBERED_ALERTS, writeGroups, type GroupRecord } from './group-state.js';
import { groupIdentity, notificationFacts, planNotification, type ReceiverPlan } from './receiver-policy.js';
import { alertLine, beadRequest, closeReason, groupMessage, groupSeverity } from './receiver-text.js';
import { WebhookSchema, webhookProblem, type Webhook } from './webhook-schema.js';

export const ALERTMANAGER_PATH = '/alertmanager';
/** Alertmanager sends every alert of a group (max_alerts unset): a few hundred alerts are well under this. */
const BODY_LIMIT = '2mb';

/** What the receiver needs of the composition root (src/orchestrator/fleet-receiver.ts). */
export interface ReceiverPorts {
  /** One allowlisted action through the gate, with source `alertmanager`; never throws for a refusal. */
  run(
    action: 'alert' | 'create_bead',
    input: Record<string, unknown>,
    meta: { identity: string; incidentId: string; audit: Record<string, unknown> },
  ): Promise<ActionResult>;
  /** Close the open bead of an identity (the bead keeper's resolve, as the incident phase does); the closed bead id. */
  closeBead(identity: string, reason: string): Promise<string | null>;
  /** Append one record to the registry. */
  record(record: ProblemRecord): void;
  /** Hostname for records. */
  host: string;
}

export interface ReceiverOptions {
  /** fleet_groups.json in the state dir. */
  statePath: string;
  /** `argus serve --read-only`: the state dir cannot be written, so the receiver refuses (403). */
  readOnly: boolean;
  /** Built on the first webhook that needs them: a server that only shows pages never composes a runtime. */
  ports: () => Promise<ReceiverPorts>;
  now: () => Date;
  log: Log;
}

export interface AlertmanagerReceiver {
  router: express.Router;
  /** Resolves when every accepted notification has been acted on. */
  idle(): Promise<void>;
}

/** What the fleet view shows of a notification: its alerts (firing first, at most REMEMBERED_ALERTS), one line each. */
function rememberAlerts(w: Webhook): Pick<GroupRecord, 'alerts' | 'alertsLeftOut'> {
  const all = w.alerts.map((a) => ({ fingerprint: a.fingerprint, ...alertLine(a, w.commonAnnotations) }));
  const ordered = [...all.filter((a) => a.firing), ...all.filter((a) => !a.firing)];
  return {
    alerts: ordered.slice(0, REMEMBERED_ALERTS),
    alertsLeftOut: Math.max(0, ordered.length - REMEMBERED_ALERTS) + w.truncatedAlerts,
  };
}

export function createAlertmanagerReceiver(o: ReceiverOptions): AlertmanagerReceiver {
  const log = o.log.child({ agent: 'fleet-receiver' });
  // One notification at a time, in arrival order: a group's later notification never overtakes its first.
  const queue = new PQueue({ concurrency: 1 });
  let ports: Promise<ReceiverPorts> | null = null;

  /** The bead of a fleet incident, for the fleet view (read and written without yielding, as `receive` does). */
  const rememberBead = (id: string, incidentId: string, beadId: string): void => {
    try {
      const file = readGroups(o.statePath);
      const g = file.groups[id];
      if (!g || g.incidentId !== incidentId || g.beadId === beadId) return;
      writeGroups(o.statePath, { groups: { ...file.groups, [id]: { ...g, beadId } } });
    } catch (error) {
      log.warn({ err: (error as Error).message, group: id }, 'fleet receiver: could not remember the bead id');
    }
  };

  const act = async (w: Webhook, plan: ReceiverPlan, now: Date): Promise<void> => {
    // A composition that failed (a broken config file, say) is tried again with the next notification.
    ports ??= o.ports().catch((error: unknown) => {
      ports = null;
      throw error;
    });
    const p = await ports;
    const { group } = plan;
    const meta = {
      identity: group.identity,
      incidentId: group.incidentId,
      audit: {
        alertmanager: {
          receiver: w.receiver,
          groupKey: w.groupKey.slice(0, 300),
          status: w.status,
          alerts: w.alerts.length,
          fingerprints: group.firing.slice(0, 50),
        },
      },
    };
    const severity = groupSeverity(w);
    if (plan.message) await p.run('alert', { message: groupMessage(w, group, now), severity }, meta);
    if (plan.bead === 'open' || plan.bead === 'comment') {
      const filed = await p.run('create_bead', { ...beadRequest(w, group, plan.bead), type: 'fleet', severity }, meta);
      if (typeof filed.details.beadId === 'string')
        rememberBead(group.identity, group.incidentId, filed.details.beadId);
    }
    if (plan.bead === 'close') {
      const closed = await p.closeBead(group.identity, closeReason(w, group, now));
      if (closed) {
        p.record({
          ts: now.toISOString(),
          severity: 'info',
          type: 'fleet',
          description: `closed bead ${closed} of ${group.identity}`,
          action_taken: null,
          action_result: null,
          bead_id: closed,
          host: p.host,
          kind: 'transition',
          identity: group.identity,
          incident_id: group.incidentId,
          source: 'alertmanager',
          cycle_id: null,
          details: { transition: 'bead_closed', ...meta.audit },
        });
      }
    }
  };

  const receive = (req: Request, res: Response): void => {
    const parsed = WebhookSchema.safeParse(req.body);
    if (!parsed.success) {
      const reason = webhookProblem(parsed.error);
      log.warn({ reason }, 'fleet receiver: not a webhook');
      res.status(400).json({ error: `not an Alertmanager webhook (version 4): ${reason}` });
      return;
    }
    const w = parsed.data;
    const now = o.now();
    const id = groupIdentity(w.groupKey);
    let plan: ReceiverPlan;
    try {
      // Read, decide and write without yielding: two deliveries of one notification cannot both pass.
      const file = readGroups(o.statePath, (reason) => log.warn({ reason }, 'fleet groups unreadable: starting empty'));
      const prev = file.groups[id];
      plan = planNotification(prev, notificationFacts(w), now);
      if (plan.verdict !== 'duplicate') {
        // The same fleet incident keeps its bead; a new one has none yet.
        const beadId = prev && prev.incidentId === plan.group.incidentId ? prev.beadId : undefined;
        const remembered: GroupRecord = { ...plan.group, ...rememberAlerts(w), ...(beadId ? { beadId } : {}) };
        if (!beadId) delete remembered.beadId;
        writeGroups(o.statePath, pruneGroups({ groups: { ...file.groups, [id]: remembered } }, now));
      }
    } catch (error) {
      // Not remembered, so not acted on: Alertmanager retries the notification.
      log.error({ err: (error as Error).message }, 'fleet receiver: could not write the group state');
      res.status(503).json({ error: 'could not record the notification in the state dir; Alertmanager will retry' });
      return;
    }
    log.info(
      { group: id, status: w.status, alerts: w.alerts.length, verdict: plan.verdict, bead: plan.bead },
      'fleet receiver: notification',
    );
    if (plan.verdict === 'act') {
      void queue
        .add(() => act(w, plan, now))
        .catch((error: unknown) =>
          log.error({ err: (error as Error).message, group: id }, 'fleet receiver: acting on a notification failed'),
        );
    }
    res.status(200).json({ status: plan.verdict, group: id, message: plan.message, bead: plan.bead });
  };

  const router = express.Router();
  router.post(
    ALERTMANAGER_PATH,
    (_req: Request, res: Response, next: NextFunction) => {
      if (!o.readOnly) return next();
      res.status(403).json({
        error:
          'argus serve runs with --read-only (its state dir is read-only): the fleet receiver is off; run the receiver as an argus serve without --read-only',
      });
    },
    express.json({ limit: BODY_LIMIT, type: () => true }),
    receive,
  );
  router.all(ALERTMANAGER_PATH, (_req: Request, res: Response) => {
    res.setHeader('Allow', 'POST');
    res.status(405).json({ error: 'the fleet receiver takes POST only (Alertmanager webhook_config)' });
  });
  router.use(
    ALERTMANAGER_PATH,
    (error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) => {
      if (error.type === 'entity.too.large')
        return void res.status(413).json({ error: `body larger than ${BODY_LIMIT}` });
      if (error.type === 'entity.parse.failed')
        return void res.status(400).json({ error: 'not an Alertmanager webhook: the body is not JSON' });
      if (error.status && error.status < 500)
        return void res.status(400).json({ error: 'not an Alertmanager webhook: the body could not be read' });
      next(error);
    },
  );
  return { router, idle: () => queue.onIdle() };
}
