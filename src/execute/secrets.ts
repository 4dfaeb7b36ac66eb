import { SecretMasker } from '../model/secret-masker.js';

export { MIN_SECRET_FRAGMENT, SecretMasker } from '../model/secret-masker.js';

let current = new SecretMasker([], {});

/**
 * The secrets of the run this process executes. The run command sets them once, before the first step; child
 * processes then inherit an environment without them (process/child-env.ts) and every place that cuts or quotes
 * text masks it first. A process runs one run (`drillbook run`); code that runs several must set them per run.
 */
export function useRunSecrets(masker: SecretMasker): void {
  current = masker;
}

export function runSecrets(): SecretMasker {
  return current;
}
