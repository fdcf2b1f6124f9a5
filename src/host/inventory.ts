// The host inventory: what the machine is (OS, kernel, virtualisation, CPU, memory, disks). Tedious and error-prone
// to read by hand and it changes rarely, so systeminformation gathers it — at most once a day, never in a cycle
// (its calls spawn processes and cost ~100 ms). Loaded lazily: importing it costs ~25 ms.
import { z } from 'zod';

export const InventorySchema = z.object({
  gatheredAt: z.string(),
  os: z.object({ distro: z.string(), release: z.string(), kernel: z.string(), arch: z.string() }),
  /** e.g. "KVM" or "Docker"; null on bare metal or when unknown. */
  virtualization: z.string().nullable(),
  cpu: z.object({ model: z.string(), cores: z.number() }),
  memoryBytes: z.number(),
  disks: z.array(z.object({ name: z.string(), sizeBytes: z.number(), model: z.string() })),
});
export type Inventory = z.infer<typeof InventorySchema>;

export async function gatherInventory(now: Date): Promise<Inventory> {
  const si = (await import('systeminformation')).default;
  const [os, cpu, mem, system, devices] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.system(),
    si.blockDevices(),
  ]);
  const virt = system.virtual ? system.virtualHost || system.model || 'virtual' : null;
  return {
    gatheredAt: now.toISOString(),
    os: { distro: os.distro, release: os.release, kernel: os.kernel, arch: os.arch },
    virtualization: virt,
    cpu: { model: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() || 'unknown', cores: cpu.cores },
    memoryBytes: mem.total,
    disks: devices
      .filter((d) => d.type === 'disk' && d.size > 0)
      .map((d) => ({ name: d.name, sizeBytes: d.size, model: d.model ?? '' })),
  };
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes >= 100 * 1024 ** 3 ? 0 : 1)} GiB`;

/** One line for `status`, `doctor`, beads and post-mortems. */
export function describeInventory(inv: Inventory): string {
  const disks = inv.disks.map((d) => `${d.name} ${gib(d.sizeBytes)}`).join(', ');
  return [
    `${inv.os.distro} ${inv.os.release}, kernel ${inv.os.kernel}, ${inv.os.arch}`,
    inv.virtualization ? `${inv.virtualization} guest` : 'bare metal',
    `${inv.cpu.model}, ${inv.cpu.cores} cores`,
    `${gib(inv.memoryBytes)} RAM`,
    ...(disks ? [`disks ${disks}`] : []),
  ].join('; ');
}
