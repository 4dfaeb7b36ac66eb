import { hostname, userInfo } from 'node:os';

/** Where a run was started from: the store shows it beside every run, so a team can tell laptops, CI and cron apart. */
export interface RunOrigin {
  host: string;
  user: string;
  /** The CI system and its job, when the run is in one (from its well-known environment variables). */
  ci: Record<string, string> | null;
}

/** CI systems by the variable that marks them, with the variables that name the job. */
const CI_SYSTEMS: [string, string, string[]][] = [
  ['github-actions', 'GITHUB_ACTIONS', ['GITHUB_REPOSITORY', 'GITHUB_WORKFLOW', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT']],
  ['gitlab', 'GITLAB_CI', ['CI_PROJECT_PATH', 'CI_PIPELINE_ID', 'CI_JOB_ID']],
  ['jenkins', 'JENKINS_URL', ['JOB_NAME', 'BUILD_NUMBER']],
  ['buildkite', 'BUILDKITE', ['BUILDKITE_PIPELINE_SLUG', 'BUILDKITE_BUILD_NUMBER']],
  ['circleci', 'CIRCLECI', ['CIRCLE_PROJECT_REPONAME', 'CIRCLE_BUILD_NUM']],
];

export function runOrigin(env: NodeJS.ProcessEnv = process.env): RunOrigin {
  return { host: safe(hostname), user: safe(() => userInfo().username), ci: ciOf(env) };
}

function ciOf(env: NodeJS.ProcessEnv): Record<string, string> | null {
  for (const [system, marker, names] of CI_SYSTEMS) {
    if (!env[marker]) continue;
    const job = Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n]]] : [])));
    return { system, ...job };
  }
  return env.CI && env.CI !== 'false' && env.CI !== '0' ? { system: 'ci' } : null;
}

function safe(read: () => string): string {
  try {
    return read();
  } catch {
    return 'unknown';
  }
}
