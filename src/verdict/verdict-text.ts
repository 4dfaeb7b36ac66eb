import { formatDuration } from '../model/duration.js';
import type { Verdict } from './verdict.js';

/** Words for a verdict, shared by the terminal, Markdown, HTML and JUnit so that they read the same. */

const HEAD: Record<Verdict['outcome'], string> = {
  recovered: 'RECOVERED',
  simulated: 'SIMULATED',
  failed: 'FAILED',
  'rolled-back': 'ROLLED BACK',
  aborted: 'ABORTED',
  interrupted: 'INTERRUPTED',
  'not-recovered': 'NOT RECOVERED',
  unfinished: 'UNFINISHED',
};

/** Time to recover with its caveats: "4m10s (incl. 2m stopped)", "~3m projected", "n/a". */
export function ttrText(v: Verdict): string {
  if (v.ttr.ms === null) return 'n/a';
  const notes = [
    ...(v.ttr.interruptions > 0 ? [`incl. ${formatDuration(v.ttr.interruptedMs)} interrupted`] : []),
    ...(v.ttr.outsideRtoMs > 0 ? [`excl. ${formatDuration(v.ttr.outsideRtoMs)} outside the RTO clock`] : []),
  ];
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return v.ttr.projected ? `~${formatDuration(v.ttr.ms)} projected${note}` : `${formatDuration(v.ttr.ms)}${note}`;
}

/** The RTO judgement in a few words, for a timeline's total row and a summary card. */
export function rtoText(v: Verdict): string {
  const target = `RTO ${formatDuration(v.rto.targetMs)}`;
  if (v.rtoMet === true) return `${target}: ${v.simulated ? 'projected to be met' : 'met'}`;
  if (v.rtoMet === false)
    return v.ttr.ms === null
      ? `${target}: NOT MET (not recovered)`
      : `${target}: ${v.simulated ? 'PROJECTED OVER TARGET' : 'OVER TARGET'}`;
  return `${target}: not judged (${v.outcome})`;
}

export function rpoText(v: Verdict): string {
  if (v.rpo.targetMs === null) return 'RPO: no target';
  const target = `RPO ${formatDuration(v.rpo.targetMs)}`;
  if (v.rpo.met === null) return `${target}: not measured`;
  return `${target}: ${v.rpo.met ? 'met' : 'BREACHED'} (data-loss window ${formatDuration(v.rpo.measuredMs ?? 0)})`;
}

/** The one verdict line: what happened, whether the targets held, and the exit code. */
export function verdictLine(v: Verdict): string {
  const head = HEAD[v.outcome];
  const exit = v.exitCode === null ? '' : ` (exit ${v.exitCode})`;
  if (v.outcome === 'recovered' || v.outcome === 'simulated') {
    const judged = v.withinTarget
      ? `within target (RTO ${formatDuration(v.rto.targetMs)}; ${rpoText(v)})`
      : `TARGET ${v.simulated ? 'PROJECTED TO BE ' : ''}BREACHED: ${v.breaches.map((b) => b.text).join('; ')}`;
    return `Verdict: ${head} in ${ttrText(v)} — ${judged}${exit}`;
  }
  const where = v.cause
    ? ` at step "${v.cause.step}"${v.cause.error ? `: ${v.cause.error}` : ''}`
    : v.reason
      ? `: ${v.reason}`
      : '';
  return `Verdict: ${head}${where} — not recovered, RTO ${formatDuration(v.rto.targetMs)} ${v.rtoMet === false ? 'not met' : 'not judged'}${exit}`;
}

/** The failing step's last output lines, indented, for terminals and Markdown code blocks. */
export function causeLines(v: Verdict): string[] {
  if (!v.cause || v.cause.tail.length === 0) return [];
  return [`Cause: ${v.cause.step} printed:`, ...v.cause.tail.map((l) => `  ${l}`)];
}

/** The verdict in a word or two, for table cells (history, run --all). */
export function verdictWord(v: Verdict): string {
  if (v.withinTarget) return v.simulated ? 'projected within target' : 'within target';
  if (v.outcome === 'recovered' || v.outcome === 'simulated') {
    const which = v.breaches.map((b) => b.objective.toUpperCase()).join('+');
    return `${v.simulated ? 'PROJECTED ' : ''}${which} BREACHED`;
  }
  return HEAD[v.outcome];
}

/** The banner's word: what a manager reads from across the room (the HTML report's and the console's banner). */
export function verdictHeadline(v: Verdict): string {
  if (v.withinTarget) return v.simulated ? 'SIMULATED: WITHIN TARGET' : 'RECOVERED WITHIN TARGET';
  if (v.outcome === 'recovered' || v.outcome === 'simulated') {
    return `${v.simulated ? 'SIMULATED: ' : ''}${v.breaches.map((b) => b.objective.toUpperCase()).join(' AND ')} ${v.simulated ? 'BREACH PROJECTED' : 'BREACHED'}`;
  }
  return v.outcome.replace('-', ' ').toUpperCase();
}
