import { it } from 'vitest';
import { PROJECT_DIR, bootContainer } from '../support/systemd-container.js';
it('dbg', async () => {
  const c = await bootContainer({ name: 'argus-dbg' });
  const sh = async (f: string, ...a: string[]) => (await c.exec(f, a, { timeoutMs: 60000 }));
  const prop = async (n: string) => (await sh('systemctl', 'show', '-p', n, '--value', 'argus.service')).stdout.trim();
  await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR, '--no-start');
  await c.writeFile('/etc/argus/argus.env', 'ARGUS_CONFIG=/etc/argus/argus.json\n', 0o600);
  await c.writeFile('/etc/argus/argus.json', JSON.stringify({ probes: [{ name: 'slow', url: 'http://10.255.255.1:81/', timeoutMs: 5000 }] }), 0o600);
  for (let i = 0; i < 4; i++) {
    await sh('systemctl', 'start', '--no-block', 'argus.service');
    while ((await prop('ActiveState')) !== 'activating') await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await sh('systemctl', 'stop', 'argus.service');
    const r = await sh('systemctl', 'start', 'argus.service');
    console.log(i, 'start ->', r.exitCode, await prop('Result'), await prop('ExecMainStatus'), await prop('ExecMainCode'));
  }
  console.log((await sh('journalctl', '-u', 'argus.service', '-o', 'short-precise', '--no-pager')).stdout.split('\n').filter((l) => !/node\[\d+\]:\s{2,}/.test(l)).join('\n'));
  await c.stop();
}, 200000);
