import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabLayout } from './layout.js';
import { PG_BIN } from './postgres-cluster.js';

/**
 * The lab's stand-ins for ssh and kubectl, so the runbook's own commands run unchanged:
 * `ssh postgres@host CMD` runs CMD here as the postgres user; kubectl drives the backend stand-in.
 */
export function writeShims(layout: LabLayout): void {
  const kubectl = fileURLToPath(new URL('./shims/kubectl.js', import.meta.url));
  const scripts: Record<string, string> = {
    ssh: `#!/bin/sh
# DR lab ssh: runs the remote command line on this machine as the postgres user, like ssh to the DB host.
shift
export PATH="${PG_BIN}:$PATH"
# postgres may not enter the folder drillbook runs in (a checkout under /root): then it starts in the lab folder.
if [ "$(id -u)" = 0 ]; then exec runuser -u postgres -- env PATH="$PATH" sh -c "{ cd '$PWD' 2>/dev/null || cd '${layout.dir}'; } && $*"; fi
exec sh -c "$*"
`,
    kubectl: `#!/bin/sh
# DR lab kubectl: rollout, set env, logs and get pods applied to the backend stand-in.
export DRILLBOOK_LAB_BACKEND="${layout.paths.backend}" DRILLBOOK_LAB_BACKEND_PORT="${layout.ports.backend}"
exec "${process.execPath}" "${kubectl}" "$@"
`,
  };
  for (const [name, text] of Object.entries(scripts)) {
    const file = join(layout.paths.bin, name);
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  }
}
