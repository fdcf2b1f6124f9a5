// A fleet as the real receiver remembers it: webhooks posted to a started receiver (receiver-harness.ts), so
// fleet_groups.json is the receiver's own. Alert text carries markup that must stay text wherever it is shown.
import { readFileSync } from 'node:fs';
import type { GroupRecord } from '../../src/fleet/group-state.js';
import { webhook, type ReceiverRig } from './receiver-harness.js';

export const XSS_SUMMARY = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=1</script> & done';
export const XSS_HOST = 'web-<b>9</b>';

/**
 * Three groups: disk:/ firing on web-1 (critical) and web-2 (warning); memory:host firing on web-1 (warning) and on a
 * host whose name and summary are markup; service:nginx.service fired on web-3 and resolved. Resolves once every
 * message and bead is done.
 */
export async function driveFleet(rig: ReceiverRig): Promise<Record<string, GroupRecord>> {
  const posts = [
    webhook([
      { host: 'web-1', identity: 'disk:/', summary: 'Disk / is 97 % full' },
      { host: 'web-2', identity: 'disk:/', severity: 'warning', summary: 'Disk / is 91 % full' },
    ]),
    webhook([
      { host: 'web-1', identity: 'memory:host', severity: 'warning', summary: 'memory 93 %' },
      { host: XSS_HOST, identity: 'memory:host', severity: 'warning', summary: XSS_SUMMARY },
    ]),
    webhook([{ host: 'web-3', identity: 'service:nginx.service', summary: 'nginx down' }]),
    webhook([{ host: 'web-3', identity: 'service:nginx.service', status: 'resolved', summary: 'nginx down' }]),
  ];
  for (const body of posts) {
    const res = await rig.post(body);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
    await rig.receiver.idle();
  }
  return (JSON.parse(readFileSync(rig.statePath, 'utf8')) as { groups: Record<string, GroupRecord> }).groups;
}
