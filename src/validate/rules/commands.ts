import { stepLists, type Command } from '../../model/runbook.js';
import { hasTemplate } from '../../model/template.js';
import type { RuleContext } from './context.js';
import { stringsIn } from '../../model/walk-strings.js';

/**
 * Commands that change state a responder cannot take back. A step running one must say
 * `confirm: true` (or `confirm: false` to record that a reviewer judged it safe).
 */
const DESTRUCTIVE = [
  /\bpg_ctl\b.*\b(promote|stop|restart)\b/,
  /\bpg_ctlcluster\b.*\b(stop|restart)\b/,
  /\bpg_basebackup\b/,
  /\bpg_restore\b/,
  /\bpg_rewind\b/,
  /\b(dropdb|DROP\s+(DATABASE|TABLE|SCHEMA))\b/i,
  /\b(DELETE\s+FROM|TRUNCATE|UPDATE\s+\w+\s+SET)\b/i,
  /\brm\s+(-\w*\s+)*/,
  /\bREPLICAOF\s+NO\s+ONE\b/i,
  /\bSLAVEOF\s+NO\s+ONE\b/i,
  /\bFLUSH(ALL|DB)\b/i,
  /\b(systemctl|service)\s+\S*\s*(stop|restart)\b/,
  /\bkill(all)?\b/,
  /\bkubectl\b.*\b(delete|scale|drain|rollout\s+restart|set\s+env|patch|apply)\b/,
  /\baws\b.*\b(s3\s+rm|delete-|failover|promote-read-replica|restore-db|reboot-db|modify-)/,
  /\bdocker(-compose|\s+compose)?\b.*\b(stop|restart|down|rm|kill)\b/,
  /\biptables\b/,
  /\bfallocate\b|\bdd\s+if=/,
];

export function commandRules({ runbook, report }: RuleContext): void {
  runbook.incidents.forEach((incident, i) => {
    for (const list of stepLists(incident, `/incidents/${i}`)) {
      list.steps.forEach((step, k) => {
        const sp = `${list.path}/${k}`;
        if (step.run !== undefined) {
          checkShellForm(step.run, step.shell === true, `${sp}/run`, report);
          if (step.confirm === undefined && isDestructive(step.run)) {
            report(
              `${sp}/run`,
              `step "${step.id}" runs a destructive command without confirm`,
              'add confirm: true so a responder approves it (or confirm: false if reviewed as safe)',
            );
          }
        }
        if (step.capture && (step.manual !== undefined || step.notify !== undefined)) {
          report(`${sp}/capture`, `step "${step.id}" cannot capture: manual and notify steps produce no output`);
        }
        for (const [p, value] of probeCommands(step, sp))
          checkShellForm(value.run, value.shell === true, `${p}/run`, report);
      });
    }
  });
}

function checkShellForm(run: Command, shell: boolean, pointer: string, report: RuleContext['report']): void {
  if (typeof run === 'string' && !shell)
    report(
      pointer,
      'a command string runs only with shell: true',
      'use an argument list such as [pg_ctl, promote, -D, "{{ pgdata }}"] or add shell: true',
    );
  if (Array.isArray(run) && shell)
    report(
      pointer,
      'shell: true needs the command as one string, not an argument list',
      'drop shell: true to run the list without a shell',
    );
  if (typeof run === 'string' && shell && hasTemplate(run)) {
    report(
      pointer,
      'a shell script must not splice {{ variables }} into its text',
      'variables reach a shell step as environment variables: {{ db.replica }} is "$DB_REPLICA"',
    );
  }
}

export function isDestructive(run: Command): boolean {
  const text = typeof run === 'string' ? run : run.join(' ');
  return DESTRUCTIVE.some((pattern) => pattern.test(text));
}

/** command probes inside check/wait/verify of a step. */
function* probeCommands(step: object, pointer: string): Generator<[string, { run: Command; shell?: boolean }]> {
  const seen = new Set<string>();
  for (const [p] of stringsIn(step, pointer)) {
    const m = /^(.*\/command)\/run(\/\d+)?$/.exec(p);
    if (!m?.[1] || seen.has(m[1])) continue;
    seen.add(m[1]);
    const value = valueAt(step, m[1].slice(pointer.length));
    if (value && typeof value === 'object' && 'run' in value) yield [m[1], value as { run: Command; shell?: boolean }];
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const seg of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[seg];
  return node;
}
