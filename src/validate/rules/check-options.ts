import { checkKind, stepLists, type CheckSpec } from '../../model/runbook.js';
import { CHECK_KINDS } from '../../execute/checks/kinds.js';
import type { RuleContext } from './context.js';

/** Each check's options pass its kind's own `validate` (a glob's syntax): what the schema cannot say. */
export function checkOptions({ runbook, report }: RuleContext): void {
  const judge = (spec: CheckSpec, pointer: string) => {
    const kind = checkKind(spec);
    for (const problem of CHECK_KINDS[kind].validate?.(spec[kind]) ?? [])
      report(`${pointer}/${kind}/${problem.key}`, problem.message, problem.hint);
  };
  runbook.incidents.forEach((incident, i) => {
    incident.recovered.forEach((spec, k) => {
      judge(spec, `/incidents/${i}/recovered/${k}`);
    });
    for (const list of stepLists(incident, `/incidents/${i}`))
      list.steps.forEach((step, k) => {
        const sp = `${list.path}/${k}`;
        if (step.check) judge(step.check, `${sp}/check`);
        if (step.wait) judge(step.wait, `${sp}/wait`);
        step.verify?.forEach((spec, v) => {
          judge(spec, `${sp}/verify/${v}`);
        });
      });
  });
}
