// The host inventory, cached in the state dir (inventory.json) and refreshed at most once a day.
import { join } from 'node:path';
import { gatherInventory, InventorySchema, type Inventory } from '../host/inventory.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';

export const INVENTORY_MAX_AGE_MS = 86_400_000;

export const inventoryPath = (stateDir: string): string => join(stateDir, 'inventory.json');

/** The cached inventory, whatever its age (null when none was gathered yet). Reads only: for `status`. */
export function cachedInventory(stateDir: string): Inventory | null {
  return readJsonState(inventoryPath(stateDir), InventorySchema.nullable(), () => null);
}

/**
 * The inventory, gathered again when the cache is older than a day. A failure to gather or to write keeps the old one:
 * the inventory is a description, never a reason for a command to fail.
 */
export async function freshInventory(
  stateDir: string,
  now: Date,
  gather: (now: Date) => Promise<Inventory> = gatherInventory,
): Promise<Inventory | null> {
  const cached = cachedInventory(stateDir);
  if (cached && now.getTime() - Date.parse(cached.gatheredAt) < INVENTORY_MAX_AGE_MS) return cached;
  try {
    const inv = await gather(now);
    try {
      writeJsonAtomic(inventoryPath(stateDir), inv);
    } catch {
      // A full or read-only state dir: use it without caching.
    }
    return inv;
  } catch {
    return cached;
  }
}
