import { Option, type Command } from 'commander';
import { UsageError } from '../../model/errors.js';
import { renderTable } from '../table.js';

interface LabFlags {
  dir?: string;
  basePort?: string;
  json?: boolean;
}

async function layoutOf(flags: LabFlags) {
  const { labLayout, DEFAULT_LAB_DIR, DEFAULT_BASE_PORT } = await import('../../lab/layout.js');
  const base = flags.basePort === undefined ? DEFAULT_BASE_PORT : Number(flags.basePort);
  if (!Number.isInteger(base) || base < 1024 || base > 64_000)
    throw new UsageError(`--base-port must be an integer between 1024 and 64000, got "${flags.basePort ?? ''}"`);
  return labLayout(flags.dir ?? DEFAULT_LAB_DIR, base);
}

const say = (line: string) => {
  process.stdout.write(`${line}\n`);
};

export function registerLab(program: Command): void {
  const lab = program.command('lab');
  const common = (cmd: Command) =>
    cmd
      .option('--dir <dir>', 'lab directory (default .drillbook/lab)')
      .addOption(new Option('--base-port <n>', 'first port of the lab range (default 25400)'));
  common(
    lab
      .command('up')
      .description('start PostgreSQL primary+replica, Redis primary+replica, an S3 store with backups and the backend'),
  ).action(async (flags: LabFlags) => {
    const { labUp } = await import('../../lab/lab-up.js');
    printStatus(await labUp(await layoutOf(flags), say), false);
  });
  common(lab.command('status').description('health of each lab component').option('--json', 'print JSON')).action(
    async (flags: LabFlags) => {
      const { labStatus } = await import('../../lab/lab-status.js');
      const status = await labStatus(await layoutOf(flags));
      printStatus(status, flags.json === true);
      process.exitCode = status.every((c) => c.up) ? 0 : 1;
    },
  );
  common(lab.command('down').description('stop every lab process (by pid) and remove its files')).action(
    async (flags: LabFlags) => {
      const { labDown } = await import('../../lab/lab-down.js');
      await labDown(await layoutOf(flags), say);
    },
  );
  common(
    lab
      .command('break')
      .description("inject an incident's failure into the lab")
      .argument('<incident>', 'INC-001 … INC-006'),
  ).action(async (incident: string, flags: LabFlags) => {
    const { labBreak } = await import('../../lab/lab-break.js');
    const record = await labBreak(await layoutOf(flags), incident);
    say(`${record.incident} injected at ${record.failedAt}: ${record.description}`);
  });
}

function printStatus(
  rows: { component: string; address: string; pid: number | null; up: boolean; detail: string }[],
  json: boolean,
): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    renderTable(
      ['COMPONENT', 'ADDRESS', 'PID', 'STATE', 'DETAIL'],
      rows.map((r) => [r.component, r.address, r.pid === null ? '-' : String(r.pid), r.up ? 'up' : 'DOWN', r.detail]),
    ),
  );
}
