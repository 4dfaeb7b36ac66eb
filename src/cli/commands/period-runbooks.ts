import type { Runbook } from '../../model/runbook.js';
import type { StoreClient } from '../../store/connect.js';

/** The runbooks given with -f, read before the store is opened (an invalid one is exit 2, not a store failure). */
export async function fileRunbooks(files: string[]): Promise<Runbook[] | undefined> {
  if (files.length === 0) return undefined;
  const { openRunbook } = await import('../open-runbook.js');
  return files.map((f) => openRunbook(f).runbook);
}

/** The runbooks registered with `drillbook serve` in the store (none when it has no service tables yet). */
export async function registeredRunbooks(client: StoreClient): Promise<Runbook[]> {
  const exists = await client.query<{ t: string | null }>("select to_regclass('service_runbooks')::text as t");
  if (exists.rows[0]?.t == null) return [];
  const { listRunbooks, validated } = await import('../../serve/runbook-registry.js');
  const registered = await listRunbooks(client as unknown as Parameters<typeof listRunbooks>[0]);
  return registered.map((r) => validated(r.name, r.source));
}
