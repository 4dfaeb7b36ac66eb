import cronParser from 'cron-parser';
import { HttpError } from '../context.js';

/**
 * A schedule's cron and time zone, checked before anything is stored: five fields (minute hour day month
 * weekday, as pg-boss's cron reads them) that cron-parser accepts, and an IANA time zone this Node knows.
 * 422 with the reason otherwise.
 */
export function checkCron(cron: string, tz: string): void {
  if (!isTimeZone(tz))
    throw new HttpError(
      422,
      `unknown time zone "${tz}": use an IANA name such as UTC, Europe/Berlin, America/New_York`,
    );
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5)
    throw new HttpError(
      422,
      `cron "${cron}" has ${fields} field${fields === 1 ? '' : 's'}; it needs 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * 1"`,
    );
  try {
    cronParser.parseExpression(cron, { tz });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HttpError(422, `cron "${cron}" is not valid: ${why}`);
  }
}

/** When the cron fires next after `now`, read in its time zone (ISO, UTC). */
export function nextRunAt(cron: string, tz: string, now = new Date()): string {
  return cronParser.parseExpression(cron, { tz, currentDate: now }).next().toDate().toISOString();
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.trim() !== '';
  } catch {
    return false;
  }
}
