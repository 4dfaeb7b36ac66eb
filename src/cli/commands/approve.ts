import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runsDir } from '../../journal/run-store.js';
import { UsageError } from '../../model/errors.js';
import { resolveRunId } from '../../report/load-run.js';
import { storeConfig } from '../../store/store-config.js';

interface ApproveFlags {
  deny?: boolean;
  comment?: string;
  as?: string;
  store?: string;
}

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .argument(
      '<run>',
      'the waiting run: its id (a unique prefix, or "latest" without a store), or its service request id',
    )
    .argument('<step>', 'the step waiting for approval')
    .option('--deny', 'deny it: the run aborts')
    .option('--comment <text>', 'why, recorded with the decision')
    .option('--as <name>', 'who decides (default: $USER); never the run’s starter')
    .option('--store <url>', "decide in this PostgreSQL store (default: $DRILLBOOK_STORE; else the run's own folder)")
    .action(approveAction);
}

async function approveAction(run: string, step: string, flags: ApproveFlags): Promise<void> {
  const by = (flags.as ?? process.env.USER ?? userInfo().username).trim();
  if (by === '' || by.length > 200) throw new UsageError('--as must be 1 to 200 characters');
  if (flags.comment !== undefined && flags.comment.length > 2000)
    throw new UsageError('--comment must be at most 2000 characters');
  const input = {
    step,
    decision: flags.deny === true ? ('deny' as const) : ('grant' as const),
    by,
    ...(flags.comment !== undefined ? { comment: flags.comment } : {}),
  };
  const runId = await decide(run, input, flags.store);
  process.stdout.write(`step ${step} of run ${runId} ${input.decision === 'grant' ? 'granted' : 'denied'} by ${by}\n`);
}

/** In the store when there is one (--store, $DRILLBOOK_STORE), else in the local run's approvals/ folder. */
async function decide(
  run: string,
  input: { step: string; decision: 'grant' | 'deny'; by: string; comment?: string },
  storeFlag: string | undefined,
): Promise<string> {
  const store = storeConfig(storeFlag);
  if (store) {
    const { withStore } = await import('../../store/connect.js');
    const { decideStoredApproval } = await import('../../store/approval-rows.js');
    const view = await withStore(store, (client) => decideStoredApproval(client, { run, ...input }));
    return view.runId;
  }
  const { decideFileApproval } = await import('../../execute/approvals/decide-file.js');
  const runId = resolveRunId(run);
  decideFileApproval(join(runsDir(), runId), input);
  return runId;
}
