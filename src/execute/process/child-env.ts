import { runSecrets } from '../secrets.js';

/** drillbook's own settings that no step is given: the store's URL carries its password. */
const DRILLBOOK_ONLY = ['DRILLBOOK_STORE', 'DRILLBOOK_STOP_WITH_STDIN', 'DRILLBOOK_RUN_ID'];

/**
 * The environment a step's process starts with: drillbook's own without the runbook's secrets (and without
 * DRILLBOOK_STORE), plus the step's own `env:`. A secret reaches a child only when the step's `env:` gives it
 * (`{{ secrets.NAME }}`).
 */
export function childEnvironment(stepEnv: Record<string, string>): NodeJS.ProcessEnv {
  const withheld = [...runSecrets().names, ...DRILLBOOK_ONLY].filter((name) => process.env[name] !== undefined);
  // Reusing process.env as it is saves a copy per command when there is nothing to remove or add.
  if (withheld.length === 0 && Object.keys(stepEnv).length === 0) return process.env;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !withheld.includes(name)));
  return Object.assign(env, stepEnv);
}
