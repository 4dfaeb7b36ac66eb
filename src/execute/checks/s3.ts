import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Probe } from '../../model/runbook.js';
import {
  expectedSha256,
  isMetadataName,
  metadataCandidates,
  parseMetadata,
  takenAt,
  type BackupMetadata,
} from './backup-metadata.js';
import { ProbeError, withDeadline, type CheckKind } from './check-kind.js';
import { describePolicy, retentionDetail, retentionFields, shortWindows } from './retention.js';

type S3 = typeof import('@aws-sdk/client-s3');

/** The SDK's own log lines never reach drillbook's output; failures come back as errors. */
const SILENT = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const s3Check: CheckKind<S3Probe> = {
  defaultExpect: undefined,
  describe(o, w) {
    const where = w.code(`s3://${o.bucket}/${o.key ?? o.prefix ?? ''}`);
    const probes = {
      newest: `newest object under ${where}`,
      checksum: `sha256 of ${o.key ? where : `the newest object under ${where}`} against its .metadata`,
      exists: `object ${where} exists`,
      count: `objects under ${where}`,
      retention: `backup retention under ${where}`,
    };
    const what = `S3 ${probes[o.probe ?? 'newest']}${o.endpoint ? ` at ${w.code(o.endpoint)}` : ''}`;
    return o.probe === 'retention'
      ? { what, defaults: '', always: describePolicy(o.retention, w) }
      : { what, defaults: '' };
  },
  judge: (o, fields) => (o.probe === 'retention' ? shortWindows(fields) : []),
  detail: (o, fields) => (o.probe === 'retention' ? retentionDetail(fields) : undefined),
  async probe(o, ctx) {
    const sdk = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({
      region: o.region ?? 'us-east-1',
      ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
      credentials: credentials(o),
      maxAttempts: 1,
      // A request past its deadline is an error, not the SDK's warning on stderr (its default).
      requestHandler: {
        connectionTimeout: ctx.deadlineMs,
        requestTimeout: ctx.deadlineMs,
        throwOnRequestTimeout: true,
        logger: SILENT,
      },
    });
    const where = `${o.endpoint ?? 's3'} bucket ${o.bucket}`;
    try {
      return await withDeadline(measure(sdk, client, o, ctx.signal), ctx.deadlineMs, where);
    } catch (error) {
      if (error instanceof ProbeError) throw error;
      throw new ProbeError(`${where}: ${reason(error)}`);
    } finally {
      client.destroy();
    }
  },
};

/**
 * Credentials come only from named secrets or the standard AWS variables. The SDK's default
 * chain is never used: it would reach for an instance metadata address off this machine.
 * AWS_SESSION_TOKEN belongs to the standard pair (temporary credentials: an assumed role, SSO),
 * so it is sent with that pair only, never with keys from other variables.
 */
function credentials(o: S3Probe): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const keyVar = o.access_key ?? 'AWS_ACCESS_KEY_ID';
  const secretVar = o.secret_key ?? 'AWS_SECRET_ACCESS_KEY';
  const accessKeyId = process.env[keyVar];
  const secretAccessKey = process.env[secretVar];
  if (!accessKeyId || !secretAccessKey) throw new ProbeError(`no S3 credentials: set ${keyVar} and ${secretVar}`);
  const standard = keyVar === 'AWS_ACCESS_KEY_ID' && secretVar === 'AWS_SECRET_ACCESS_KEY';
  const sessionToken = standard ? process.env.AWS_SESSION_TOKEN : undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

async function measure(
  sdk: S3,
  client: InstanceType<S3['S3Client']>,
  o: S3Probe,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  switch (o.probe ?? 'newest') {
    case 'count':
      return { count: (await listObjects(sdk, client, o, signal)).objects.length };
    case 'newest':
      return newest(await listObjects(sdk, client, o, signal));
    case 'retention':
      return retention(sdk, client, o, await listObjects(sdk, client, o, signal), signal);
    case 'exists': {
      if (!o.key) throw new ProbeError('probe exists needs a key');
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal: signal });
        return { exists: true };
      } catch (error) {
        if (status(error) !== 404) throw error;
      }
      // A HEAD answer has no body: its 404 is the same for a missing key and a missing bucket. A listing
      // tells them apart (it fails with NoSuchBucket) and needs no other permission than the 404 implies.
      await client.send(new sdk.ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.key, MaxKeys: 1 }), {
        abortSignal: signal,
      });
      return { exists: false };
    }
    case 'checksum': {
      const key = o.key ?? (newest(await listObjects(sdk, client, o, signal)).key as string | undefined);
      if (!key) throw new ProbeError(`no object under s3://${o.bucket}/${o.prefix ?? ''} to checksum`);
      const { key: metadataKey, metadata } = await readMetadata(sdk, client, o.bucket, key, signal);
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: o.bucket, Key: key }), {
        abortSignal: signal,
      });
      const hash = createHash('sha256');
      for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
      const actual = hash.digest('hex');
      const expected = expectedSha256(metadata);
      return {
        key,
        matches: expected !== '' && expected === actual,
        expected,
        actual,
        verified: metadata.verified ?? null,
        metadata_key: metadataKey,
      };
    }
  }
}

interface Listed {
  key: string;
  lastModified: Date;
  size: number;
}

interface Listing {
  /** The backups: every object but the metadata side files (they describe backups; they are not backups). */
  objects: Listed[];
  /** The metadata side files' keys. */
  metadata: Set<string>;
}

/** Objects under the prefix, the metadata side files apart. */
async function listObjects(
  sdk: S3,
  client: InstanceType<S3['S3Client']>,
  o: S3Probe,
  signal: AbortSignal,
): Promise<Listing> {
  const out: Listed[] = [];
  const metadata = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.send(
      new sdk.ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix ?? '', ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const item of res.Contents ?? []) {
      if (!item.Key) continue;
      if (isMetadataName(item.Key)) metadata.add(item.Key);
      else out.push({ key: item.Key, lastModified: item.LastModified ?? new Date(0), size: item.Size ?? 0 });
    }
    if (!res.IsTruncated) break;
    token = res.NextContinuationToken;
  }
  return { objects: out, metadata };
}

function newest({ objects, metadata }: Listing): Record<string, unknown> {
  const latest = objects.reduce<Listed | undefined>(
    (best, o) => (!best || o.lastModified > best.lastModified ? o : best),
    undefined,
  );
  if (!latest) return { count: 0 };
  const metadataKey = metadataKeyOf(latest.key, metadata);
  return {
    count: objects.length,
    key: latest.key,
    size: latest.size,
    last_modified: latest.lastModified.toISOString(),
    age_seconds: Math.max(0, (Date.now() - latest.lastModified.getTime()) / 1000),
    ...(metadataKey ? { metadata_key: metadataKey } : {}),
  };
}

function metadataKeyOf(key: string, listed: Set<string>): string | undefined {
  const dir = key.slice(0, key.lastIndexOf('/') + 1);
  return metadataCandidates(key.slice(dir.length))
    .map((name) => `${dir}${name}`)
    .find((candidate) => listed.has(candidate));
}

/**
 * Each backup counts at the time its metadata records (`timestamp`: when it was taken, not when it was
 * copied into the bucket), else at its LastModified. The metadata files are read a few at a time.
 */
async function retention(
  sdk: S3,
  client: InstanceType<S3['S3Client']>,
  o: S3Probe,
  listing: Listing,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const times: Date[] = [];
  const queue = [...listing.objects];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const key = metadataKeyOf(item.key, listing.metadata);
      const metadata = key ? (await readMetadata(sdk, client, o.bucket, item.key, signal)).metadata : undefined;
      times.push((metadata && takenAt(metadata)) ?? item.lastModified);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return retentionFields(times, o.retention);
}

/**
 * backup_X.dump.gz (or base_X.tar.gz) is described by backup_X.metadata (the seeds' layout), else by KEY.metadata.
 * Only a missing file moves on to the next name; any other error (no bucket, refused, cut off) is the reason.
 */
async function readMetadata(
  sdk: S3,
  client: InstanceType<S3['S3Client']>,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<{ key: string; metadata: BackupMetadata }> {
  const dir = key.slice(0, key.lastIndexOf('/') + 1);
  const candidates = metadataCandidates(key.slice(dir.length)).map((name) => `${dir}${name}`);
  for (const candidate of candidates) {
    let text: string;
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: candidate }), {
        abortSignal: signal,
      });
      text = await (res.Body as { transformToString(): Promise<string> }).transformToString();
    } catch (error) {
      if (status(error) === 404 && (error as { name?: string }).name !== 'NoSuchBucket') continue;
      throw new ProbeError(`cannot read metadata ${candidate}: ${reason(error)}`);
    }
    return { key: candidate, metadata: parseMetadata(text, candidate) };
  }
  throw new ProbeError(`no metadata for ${key} (looked for ${candidates.join(', ')})`);
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function reason(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string };
  const http = status(error);
  return [e.name, e.code, http ? `HTTP ${http}` : undefined, e.message].filter(Boolean).join(': ');
}
