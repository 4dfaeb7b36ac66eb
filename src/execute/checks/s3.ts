import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Probe } from '../../model/runbook.js';
import { ProbeError, withDeadline, type CheckKind } from './check-kind.js';

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
    };
    return { what: `S3 ${probes[o.probe ?? 'newest']}${o.endpoint ? ` at ${w.code(o.endpoint)}` : ''}`, defaults: '' };
  },
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
      return { count: (await listObjects(sdk, client, o, signal)).length };
    case 'newest':
      return newest(await listObjects(sdk, client, o, signal));
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
      const metadata = await readMetadata(sdk, client, o.bucket, key, signal);
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: o.bucket, Key: key }), {
        abortSignal: signal,
      });
      const hash = createHash('sha256');
      for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
      const actual = hash.digest('hex');
      // Hex is case-free and writers differ (sha256sum, AWS, hand-made files): compare by meaning.
      const expected =
        typeof metadata.checksum === 'string'
          ? metadata.checksum
              .trim()
              .replace(/^sha256:/i, '')
              .toLowerCase()
          : '';
      return {
        key,
        matches: expected !== '' && expected === actual,
        expected,
        actual,
        verified: metadata.verified ?? null,
      };
    }
  }
}

interface Listed {
  key: string;
  lastModified: Date;
  size: number;
}

/** Objects under the prefix, metadata side-files excluded (they describe backups; they are not backups). */
async function listObjects(
  sdk: S3,
  client: InstanceType<S3['S3Client']>,
  o: S3Probe,
  signal: AbortSignal,
): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.send(
      new sdk.ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix ?? '', ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const item of res.Contents ?? []) {
      if (!item.Key || item.Key.endsWith('.metadata')) continue;
      out.push({ key: item.Key, lastModified: item.LastModified ?? new Date(0), size: item.Size ?? 0 });
    }
    if (!res.IsTruncated) break;
    token = res.NextContinuationToken;
  }
  return out;
}

function newest(objects: Listed[]): Record<string, unknown> {
  const latest = objects.reduce<Listed | undefined>(
    (best, o) => (!best || o.lastModified > best.lastModified ? o : best),
    undefined,
  );
  if (!latest) return { count: 0 };
  return {
    count: objects.length,
    key: latest.key,
    size: latest.size,
    last_modified: latest.lastModified.toISOString(),
    age_seconds: Math.max(0, (Date.now() - latest.lastModified.getTime()) / 1000),
  };
}

interface Metadata {
  checksum?: unknown;
  verified?: unknown;
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
): Promise<Metadata> {
  const candidates = [key.replace(/(\.(dump|sql|tar))?(\.(gz|rdb|bak))?$/, '.metadata'), `${key}.metadata`];
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
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProbeError(`${candidate} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new ProbeError(`${candidate} holds ${jsonKind(value)}, not a JSON object`);
    return value;
  }
  throw new ProbeError(`no metadata for ${key} (looked for ${candidates.join(', ')})`);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function reason(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string };
  const http = status(error);
  return [e.name, e.code, http ? `HTTP ${http}` : undefined, e.message].filter(Boolean).join(': ');
}
