// Generated runbooks for the benchmark. Both validate (schema and semantic rules): every step has
// an id and a title, phase budgets add up to no more than the incident's RTO.

const header = (name, title) => [
  'apiVersion: drillbook/v1',
  `metadata: { name: ${name}, title: "${title}", version: "1.0.0", owner: Benchmark }`,
  'objectives: { rto: 10h, rpo: none }',
  'environments:',
  '  bench:',
  '    vars:',
  '      db: { host: 127.0.0.1, port: 5432 }',
  '      api: http://127.0.0.1:8000',
  '      data_dir: /var/lib/bench',
];

const pad = (n, width) => String(n).padStart(width, '0');

/**
 * One incident (INC-900) whose single phase runs `/bin/true` `steps` times as an argument list
 * (no shell). The recovered condition is a command check, so an auto run spawns steps + 1 processes.
 */
export function trueStepsRunbook(steps) {
  const lines = [
    ...header('bench-true-steps', `Benchmark: ${steps} run steps of /bin/true`),
    'incidents:',
    '  - id: INC-900',
    `    title: ${steps} run steps of /bin/true`,
    '    severity: low',
    '    rto: 10h',
    '    rpo: none',
    '    triggers: [benchmark]',
    '    recovered:',
    '      - command: { run: ["/bin/true"] }',
    '    phases:',
    '      - id: steps',
    '        title: Run /bin/true',
    '        budget: 10h',
    '        steps:',
  ];
  for (let i = 1; i <= steps; i += 1) {
    lines.push(`          - id: step-${pad(i, 4)}`, `            title: Step ${i}`, '            run: ["/bin/true"]');
  }
  return `${lines.join('\n')}\n`;
}

/** Step kinds in the large runbook, in rotation: what a real procedure mixes. */
const KINDS = [
  (id, n) => [
    `id: ${id}`,
    `title: Run step ${n}`,
    'run: [pg_isready, -h, "{{ db.host }}", -p, "{{ db.port }}"]',
    'estimate: 20s',
    'timeout: 1m',
  ],
  (id, n) => [
    `id: ${id}`,
    `title: Check step ${n}`,
    'check: { tcp: { host: "{{ db.host }}", port: "{{ db.port }}", expect: { open: true } } }',
    'estimate: 5s',
  ],
  (id, n) => [`id: ${id}`, `title: Manual step ${n}`, 'manual: Confirm the error rate is falling', 'estimate: 1m'],
  (id, n) => [
    `id: ${id}`,
    `title: HTTP check ${n}`,
    'check: { http: { url: "{{ api }}/health", expect: { status: 200 } } }',
    'estimate: 5s',
  ],
  (id, n) => [`id: ${id}`, `title: Shell step ${n}`, 'run: du -sh "$DATA_DIR"', 'shell: true', 'estimate: 10s'],
  (id, n) => [`id: ${id}`, `title: Status update ${n}`, 'notify: { template: status }', 'estimate: 30s'],
  (id, n) => [
    `id: ${id}`,
    `title: Wait step ${n}`,
    'wait: { tcp: { host: "{{ db.host }}", port: "{{ db.port }}", expect: { open: true } }, every: 2s, timeout: 1m }',
    'estimate: 10s',
  ],
];

/**
 * `incidents` incidents (INC-001 ...) of `stepsPerIncident` steps each, in phases of 50 steps,
 * mixing every step kind, with estimates, a communication template and a rollback step.
 */
export function largeRunbook(incidents, stepsPerIncident) {
  const lines = [
    ...header('bench-large', `Benchmark: ${incidents} incidents x ${stepsPerIncident} steps`),
    'incidents:',
  ];
  const perPhase = 50;
  const phases = Math.ceil(stepsPerIncident / perPhase);
  for (let i = 1; i <= incidents; i += 1) {
    lines.push(
      `  - id: INC-${pad(i, 3)}`,
      `    title: Generated incident ${i}`,
      `    severity: ${['critical', 'high', 'medium', 'low'][i % 4]}`,
      `    rto: ${phases * 2}h`,
      '    rpo: 5m',
      '    triggers: [Generated trigger, Health check failures for 2+ minutes]',
      '    recovered:',
      '      - tcp: { host: "{{ db.host }}", port: "{{ db.port }}", expect: { open: true } }',
      '    communication:',
      '      - id: status',
      '        text: "{{ incident.id }} update: {{ elapsed }} elapsed, ETA {{ eta }}"',
      '    phases:',
    );
    let n = 0;
    for (let p = 1; p <= phases; p += 1) {
      lines.push(`      - id: phase-${p}`, `        title: Phase ${p}`, '        budget: 2h', '        steps:');
      for (let s = 0; s < perPhase && n < stepsPerIncident; s += 1) {
        n += 1;
        const [first, ...rest] = KINDS[n % KINDS.length](`step-${pad(n, 4)}`, n);
        lines.push(`          - ${first}`, ...rest.map((l) => `            ${l}`));
      }
    }
    lines.push(
      '    rollback:',
      '      - id: undo',
      '        title: Put things back',
      '        manual: Restore the previous configuration',
    );
  }
  return `${lines.join('\n')}\n`;
}
