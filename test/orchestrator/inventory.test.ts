import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeInventory, gatherInventory, InventorySchema, type Inventory } from '../../src/host/inventory.js';
import { cachedInventory, freshInventory, inventoryPath } from '../../src/orchestrator/inventory.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

const DAY = 86_400_000;
const T0 = new Date('2026-12-02T06:00:00Z');

describe('host inventory (systeminformation)', () => {
  it('gathers this machine: OS, kernel, CPU, memory, disks — and reads like a line an operator understands', async () => {
    const inv = await gatherInventory(T0);
    expect(InventorySchema.parse(inv)).toEqual(inv);
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    expect(osRelease).toContain(inv.os.release);
    expect(inv.os.kernel).toBe(readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    expect(inv.memoryBytes).toBeGreaterThan(0);
    expect(inv.cpu.cores).toBeGreaterThan(0);
    expect(describeInventory(inv)).toMatch(
      new RegExp(`kernel ${inv.os.kernel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, .*RAM`),
    );
  }, 30_000);

  it('is cached in the state dir and gathered again only after a day', async () => {
    tmp = makeTmp();
    let calls = 0;
    const fake = async (now: Date): Promise<Inventory> => {
      calls++;
      return {
        gatheredAt: now.toISOString(),
        os: { distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0', arch: 'x64' },
        virtualization: null,
        cpu: { model: 'CPU', cores: 2 },
        memoryBytes: 2 ** 34,
        disks: [{ name: 'vda', sizeBytes: 2 ** 38, model: '' }],
      };
    };
    expect(cachedInventory(tmp.dir)).toBeNull();
    await freshInventory(tmp.dir, T0, fake);
    await freshInventory(tmp.dir, new Date(T0.getTime() + DAY - 1), fake);
    expect(calls).toBe(1);
    await freshInventory(tmp.dir, new Date(T0.getTime() + DAY + 1), fake);
    expect(calls).toBe(2);
    expect(JSON.parse(readFileSync(inventoryPath(tmp.dir), 'utf8')).gatheredAt).toBe(
      new Date(T0.getTime() + DAY + 1).toISOString(),
    );
    expect(describeInventory(cachedInventory(tmp.dir)!)).toBe(
      'Debian GNU/Linux 12, kernel 6.1.0, x64; bare metal; CPU, 2 cores; 16.0 GiB RAM; disks vda 256 GiB',
    );
  });

  it('a failure to gather keeps the old inventory; never throws', async () => {
    tmp = makeTmp();
    const broken = async (): Promise<Inventory> => {
      throw new Error('no /sys');
    };
    expect(await freshInventory(join(tmp.dir, 'state'), T0, broken)).toBeNull();
  });
});
