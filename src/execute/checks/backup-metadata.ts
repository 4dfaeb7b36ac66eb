import { ProbeError } from './check-kind.js';

/**
 * A backup's `.metadata` side file, as the seeds write it (backup_id, timestamp, size_bytes, files,
 * checksum "sha256:...", verified, retention...). Only the keys drillbook reads are typed.
 */
export interface BackupMetadata {
  checksum?: unknown;
  verified?: unknown;
  size_bytes?: unknown;
  timestamp?: unknown;
}

/**
 * backup_X.dump.gz (or base_X.tar.gz) is described by backup_X.metadata (the seeds' layout), else by NAME.metadata.
 * The same names on a file system and in a bucket.
 */
export function metadataCandidates(name: string): string[] {
  const names = [name.replace(/(\.(dump|sql|tar))?(\.(gz|rdb|bak))?$/, '.metadata'), `${name}.metadata`];
  return [...new Set(names)];
}

export function isMetadataName(name: string): boolean {
  return name.endsWith('.metadata');
}

/** The metadata file's text as an object; a one-line ProbeError for anything else. */
export function parseMetadata(text: string, name: string): BackupMetadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProbeError(`${name} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ProbeError(`${name} holds ${jsonKind(value)}, not a JSON object`);
  return value;
}

/** The sha256 the metadata records, lower-case hex; '' when it records none. */
export function expectedSha256(metadata: BackupMetadata): string {
  // Hex is case-free and writers differ (sha256sum, AWS, hand-made files): compare by meaning.
  return typeof metadata.checksum === 'string'
    ? metadata.checksum
        .trim()
        .replace(/^sha256:/i, '')
        .toLowerCase()
    : '';
}

/** The size the metadata records (`size_bytes`), when it is a whole number. */
export function expectedSize(metadata: BackupMetadata): number | undefined {
  const size = metadata.size_bytes;
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined;
}

/** When the backup was taken (`timestamp`), when the metadata gives a readable one. */
export function takenAt(metadata: BackupMetadata): Date | undefined {
  if (typeof metadata.timestamp !== 'string') return undefined;
  const at = new Date(metadata.timestamp);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
