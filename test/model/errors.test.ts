import { describe, expect, it } from 'vitest';
import { describeEnvironmentError, environmentErrorFrom, EnvironmentError } from '../../src/model/errors.js';

describe('machine failures become EnvironmentErrors, bugs do not', () => {
  it.each([
    [
      { code: 'ENOSPC', syscall: 'write', path: '/var/x/journal.jsonl' },
      'write failed: no space left on the device (ENOSPC); see /var/x/journal.jsonl',
    ],
    [
      { code: 'EROFS', syscall: 'open', path: '/ro/state.json' },
      'open failed: the file system is read-only (EROFS); see /ro/state.json',
    ],
    [{ code: 'EMFILE' }, 'too many open files (EMFILE)'],
  ])('%o', (fields, line) => {
    const error = Object.assign(new Error('raw'), fields);
    const environment = environmentErrorFrom(error);
    expect(environment).toBeInstanceOf(EnvironmentError);
    expect(environment && describeEnvironmentError(environment)).toBe(line);
    expect(environment?.exitCode).toBe(1);
  });

  it('leaves a bug (a TypeError, an unknown code) to be reported as one', () => {
    expect(environmentErrorFrom(new TypeError('x is undefined'))).toBeUndefined();
    expect(environmentErrorFrom(Object.assign(new Error('raw'), { code: 'ERR_SOMETHING' }))).toBeUndefined();
    expect(environmentErrorFrom(undefined)).toBeUndefined();
  });
});
