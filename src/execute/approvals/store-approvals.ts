import { connectStore, type StoreClient } from '../../store/connect.js';
import { insertApproval, settleApproval, storedDecision } from '../../store/approval-rows.js';
import type { StoreConfig } from '../../store/store-config.js';
import type { ApprovalSource } from './approval-types.js';

/**
 * Decisions for a run that ships to a store: its approvals rows, which the API and `drillbook approve --store`
 * decide. One connection of its own, opened at the first request (a run without approval steps opens none)
 * and opened again after a loss.
 */
export function storeApprovals(config: StoreConfig): ApprovalSource {
  let client: StoreClient | undefined;
  const use = async <T>(query: (c: StoreClient) => Promise<T>): Promise<T> => {
    client ??= await connectStore(config, () => {
      client = undefined;
    });
    try {
      return await query(client);
    } catch (error) {
      await client?.end().catch(() => {});
      client = undefined;
      throw error;
    }
  };
  return {
    open: (request) => use((c) => insertApproval(c, request)),
    poll: (request) => use((c) => storedDecision(c, request.id)),
    expire: (request) => use((c) => settleApproval(c, request.id, 'timed-out')),
    withdraw: async (request) => {
      await use((c) => settleApproval(c, request.id, 'withdrawn'));
    },
    close: async () => {
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
