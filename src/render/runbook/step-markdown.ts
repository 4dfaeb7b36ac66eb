import { approvalNeed } from '../../model/approval-need.js';
import { formatDuration } from '../../model/duration.js';
import type { Step } from '../../model/runbook.js';
import { envNameOf } from '../../model/template.js';
import type { PlanStep } from '../../plan/plan-types.js';
import { describeCheck, quoteArg } from '../describe-check.js';
import type { MarkdownDocument } from '../markdown/document.js';
import { code, codeBlock, DESTRUCTIVE_NOTE, inline, paragraphs, quoteBlock } from '../markdown/text.js';

/** Lines longer than this are broken before each option, as a person would type them in a runbook. */
const WRAP_AT = 100;

export interface StepContext {
  number: string;
  /** Runbook variables flattened (db.replica -> value), to show what a shell script's $DB_REPLICA holds. */
  vars: Map<string, string>;
  /** The incident's communication templates: a notify step posts where its template says. */
  channels: Map<string, string>;
}

/** One step: a numbered heading, then what to do, what to expect, and how it can go wrong. */
export function renderStep(doc: MarkdownDocument, source: Step, step: PlanStep, ctx: StepContext): void {
  doc.heading(4, `${ctx.number} ${source.title}`);
  doc.block(metaLine(step));
  if (source.why) doc.block(...paragraphs(source.why));
  doc.block(...action(step, ctx));
  const details: string[] = [];
  if (step.expected) details.push(`- **Expected:** ${inline(step.expected)}`);
  if (step.when) details.push(`- **Only when:** ${whenText(step)}`);
  if (step.retries > 0)
    details.push(
      `- **Retries:** up to ${step.retries}${step.delayMs ? `, ${formatDuration(step.delayMs)} apart` : ''}`,
    );
  for (const check of step.verify) details.push(`- **Verify afterwards:** ${describeCheck(check)}`);
  if (step.capture)
    details.push(
      `- **Saves for later steps:** ${Object.keys(step.capture)
        .map((name) => code(`{{ ${name} }}`))
        .join(', ')}`,
    );
  if (step.onFailure !== 'abort')
    details.push(
      `- **If it fails:** ${step.onFailure === 'continue' ? 'note it and continue' : 'roll back (see Rollback)'}`,
    );
  if (step.approval?.note) details.push(`- **Why a second person:** ${inline(step.approval.note)}`);
  for (const item of step.record ?? []) details.push(`- **Record:** ${inline(item)}: ______`);
  doc.block(...details);
}

function metaLine(step: PlanStep): string {
  const parts = [`Step ${code(step.id)}`, step.kind, `estimate ${formatDuration(step.estimateMs)}`];
  if (step.timeoutMs !== null) parts.push(`timeout ${formatDuration(step.timeoutMs)}`);
  if (step.confirm) parts.push(DESTRUCTIVE_NOTE);
  if (step.approval) parts.push(`**${inline(approvalNeed(step.approval))}**`);
  return parts.join(' · ');
}

function action(step: PlanStep, ctx: StepContext): string[] {
  const command = commandText(step);
  if (step.command?.script !== undefined) {
    const reads = scriptVariables(step.command.script, step.command.env, ctx.vars);
    return [
      ...codeBlock(command ?? '', 'sh'),
      ...(reads.length > 0 ? ['', `The script reads ${reads.map(([k, v]) => code(`${k}=${v}`)).join(', ')}.`] : []),
      ...cwdLine(step),
    ];
  }
  if (command !== undefined) return [...codeBlock(command, 'sh'), ...cwdLine(step)];
  if (step.check) return [`**Check:** ${describeCheck(step.check)}`];
  // The wait's timeout bounds the polling, not one probe: leave it out of the check's words.
  if (step.wait)
    return [
      `**Wait** up to ${formatDuration(step.wait.timeoutMs)}, checking every ${step.wait.every}, until: ${describeCheck({ ...step.wait, timeout: undefined })}`,
    ];
  if (step.manual !== undefined) return [`**By hand:**`, '', ...paragraphs(step.manual)];
  if (step.notify) {
    const channel = step.notify.channel ?? ctx.channels.get(step.notify.template ?? '');
    const where = channel ? ` to ${inline(channel)}` : step.notify.webhook ? ' to the webhook' : '';
    const what = step.notify.template ? `template ${code(step.notify.template)}` : 'this message';
    return [`**Post** ${what}${where}:`, '', ...quoteBlock(step.notify.text)];
  }
  return [];
}

/**
 * The command a `run` step runs, as a person would type it: a shell script as written, an argument list
 * quoted, with its environment in front and long lines broken before options. The runbook and the
 * checklists show the same text.
 */
export function commandText(step: PlanStep): string | undefined {
  if (step.command?.script !== undefined) return step.command.script;
  if (!step.command?.argv) return undefined;
  const env = Object.entries(step.command.env).map(([k, v]) => `${k}=${quoteArg(v)}`);
  return commandLine([...env, ...step.command.argv.map(quoteArg)]);
}

function cwdLine(step: PlanStep): string[] {
  return step.command?.cwd ? ['', `Run it in ${code(step.command.cwd)}.`] : [];
}

/** Breaks a long command before its options, with shell line continuations. */
function commandLine(words: string[]): string {
  const flat = words.join(' ');
  if (flat.length <= WRAP_AT) return flat;
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last < 0 || (word.startsWith('-') && (lines[last] ?? '').length > 0)) lines.push(word);
    else lines[last] = `${lines[last] ?? ''} ${word}`;
  }
  return lines.join(' \\\n    ');
}

/** The $NAMES a shell script reads that the runbook defines, with the values the chosen environment gives them. */
function scriptVariables(
  script: string,
  stepEnv: Record<string, string>,
  vars: Map<string, string>,
): [string, string][] {
  const byEnvName = new Map([...vars].map(([name, value]) => [envNameOf(name), value]));
  for (const [k, v] of Object.entries(stepEnv)) byEnvName.set(k, v);
  const names = [...new Set([...script.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''))];
  return names.filter((n) => byEnvName.has(n)).map((n) => [n, byEnvName.get(n) ?? '']);
}

function whenText(step: PlanStep): string {
  const w = step.when;
  if (!w) return '';
  if (w.step) return `step ${code(w.step)} ended ${(w.status ?? []).join(' or ')}`;
  const name = code(`{{ ${w.var ?? ''} }}`);
  if (w.equals !== undefined) return `${name} is ${code(String(w.equals))}`;
  if (w.not_equals !== undefined) return `${name} is not ${code(String(w.not_equals))}`;
  if (w.matches !== undefined) return `${name} matches ${code(`/${w.matches}/`)}`;
  return name;
}
