import { stepLists } from '../../model/runbook.js';
import type { RuleContext } from './context.js';

/** Incident ids are unique in the file; phase, step and template ids are unique in their incident. */
export function uniqueIds({ runbook, report }: RuleContext): void {
  const duplicate = (kind: string) => (pointer: string, id: string) => {
    report(`${pointer}/id`, `duplicate ${kind} id "${id}"`, `${kind} ids must be unique`);
  };
  findDuplicates(
    runbook.incidents.map((inc, i) => [`/incidents/${i}`, inc.id]),
    duplicate('incident'),
  );
  findDuplicates(
    (runbook.checklists ?? []).map((c, i) => [`/checklists/${i}`, c.id]),
    duplicate('checklist'),
  );
  runbook.incidents.forEach((incident, i) => {
    const base = `/incidents/${i}`;
    findDuplicates(
      incident.phases.map((p, j) => [`${base}/phases/${j}`, p.id]),
      duplicate('phase'),
    );
    findDuplicates(
      stepLists(incident, base).flatMap((list) =>
        list.steps.map((s, k): [string, string] => [`${list.path}/${k}`, s.id]),
      ),
      duplicate('step'),
    );
    findDuplicates(
      (incident.communication ?? []).map((t, j) => [`${base}/communication/${j}`, t.id]),
      duplicate('template'),
    );
  });
}

function findDuplicates(entries: [string, string][], onDuplicate: (pointer: string, id: string) => void): void {
  const seen = new Set<string>();
  for (const [pointer, id] of entries) {
    if (seen.has(id)) onDuplicate(pointer, id);
    seen.add(id);
  }
}
