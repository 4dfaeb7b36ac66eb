import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { LAB_PORT_OFFSETS, labDir, labProcesses, listening } from '../helpers/lab.js';
import { requireService } from '../helpers/services.js';

const BASE = 21400;
const DATA_AT_RISK = ['INC-003', 'INC-004', 'INC-005', 'INC-006'];

interface DrillResult {
  incident: string;
  exitCode: number;
  outcome: string;
  passed: boolean;
  dataVerified: boolean;
  detail: string;
  rto: { targetMs: number; measuredMs: number | null; met: boolean | null };
  rpo: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
}

describe('drills of every shipped incident on the lab', () => {
  it.each(['INC-001', 'INC-002', 'INC-003', 'INC-004', 'INC-005', 'INC-006'])(
    '%s: breaks, recovers with the runbook in auto mode, keeps the data, cleans up',
    async (incident) => {
      await requireService('PostgreSQL (for the client tools)', 5432);
      const { lab, home } = labDir();
      const r = drillbook(['drill', incident, '--json', '--dir', lab, '--base-port', String(BASE)], {
        env: { DRILLBOOK_HOME: home },
      });
      const [result] = JSON.parse(r.stdout) as DrillResult[];
      if (result === undefined) throw new Error(`no drill result; stderr: ${r.stderr}`);
      // A failed drill says why: its reason and the tail of what the run printed (step output included).
      if (!result.passed) throw new Error(`${incident} drill failed: ${result.detail}\n${r.stderr.slice(-4000)}`);
      expect(result).toMatchObject({ incident, exitCode: 0, outcome: 'recovered', dataVerified: true, passed: true });
      expect(typeof result.rto.measuredMs).toBe('number');
      expect(result.rto.measuredMs).toBeLessThanOrEqual(result.rto.targetMs ?? 0);
      // Every incident with data at risk measures its loss window, and it is within the RPO. INC-001
      // (stateless backend) and INC-002 (no RPO: the primary keeps serving) have none to measure.
      const atRisk = DATA_AT_RISK.includes(incident);
      expect({ measured: typeof result.rpo.measuredMs, met: result.rpo.met }).toEqual(
        atRisk ? { measured: 'number', met: true } : { measured: 'object', met: null },
      );
      expect(r.status).toBe(0);
      // The drill takes the lab down: nothing listens, nothing of it runs.
      expect(await listening(LAB_PORT_OFFSETS.map((o) => BASE + o))).toEqual([]);
      expect(labProcesses(lab, BASE)).toEqual([]);
    },
    180_000,
  );
});
