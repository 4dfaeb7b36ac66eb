import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Probe } from '../../model/runbook.js';
import { ProbeError, withDeadline, type CheckKind } from './check-kind.js';

type S3 = typeof import('@aws-sdk/client-s3');

export const s3Check: CheckKind<S3Probe> = {
  defaultExpect: undefined,
  describe: (o) => `S3 ${o.probe ?? 'newest'} s3://${o.bucket}/${o.key ?? o.prefix ?? ''}${o.endpoint ? ` at ${o.endpoint}` : ''}`,
  async probe(o, ctx) {
    const sdk = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({
      region: o.region ?? 'us-east-1',
      ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
      credentials: credentials(o),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: ctx.deadlineMs, requestTimeout: ctx.deadlineMs },
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
 */
function credentials(o: S3Probe): { accessKeyId: string; secretAccessKey: string } {
  const accessKeyId = process.env[o.access_key ?? 'AWS_ACCESS_KEY_ID'];
  const secretAccessKey = process.env[o.secret_key ?? 'AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) {
    throw new ProbeError(`no S3 credentials: set ${o.access_key ?? 'AWS_ACCESS_KEY_ID'} and ${o.secret_key ?? 'AWS_SECRET_ACCESS_KEY'}`);
  }
  return { accessKeyId, secretAccessKey };
}

async function measure(sdk: S3, client: InstanceType<S3['S3Client']>, o: S3Probe, signal: AbortSignal): Promise<Record<string, unknown>> {
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
        if ((error as { name?: string }).name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return { exists: false };
        throw error;
      }
    }
    case 'checksum': {
      const key = o.key ?? (newest(await listObjects(sdk, client, o, signal)).key as string | undefined);
      if (!key) throw new ProbeError(`no object under s3://${o.bucket}/${o.prefix ?? ''} to checksum`);
      const metadata = await readMetadata(sdk, client, o.bucket, key, signal);
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: o.bucket, Key: key }), { abortSignal: signal });
      const hash = createHash('sha256');
      for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
      const actual = hash.digest('hex');
      const expected = (metadata.checksum ?? '').replace(/^sha256:/, '');
      return { key, matches: expected !== '' && expected === actual, expected, actual, verified: metadata.verified ?? null };
    }
  }
}

interface Listed { key: string; lastModified: Date; size: number }

/** Objects under the prefix, metadata side-files excluded (they describe backups; they are not backups). */
async function listObjects(sdk: S3, client: InstanceType<S3['S3Client']>, o: S3Probe, signal: AbortSignal): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.send(new sdk.ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix ?? '', ContinuationToken: token }), { abortSignal: signal });
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
  const latest = objects.reduce<Listed | undefined>((best, o) => (!best || o.lastModified > best.lastModified ? o : best), undefined);
  if (!latest) return { count: 0 };
  return { count: objects.length, key: latest.key, size: latest.size, last_modified: latest.lastModified.toISOString(), age_seconds: Math.max(0, (Date.now() - latest.lastModified.getTime()) / 1000) };
}

/** backup_X.dump.gz (or base_X.tar.gz) is described by backup_X.metadata (the seeds' layout), else by KEY.metadata. */
async function readMetadata(sdk: S3, client: InstanceType<S3['S3Client']>, bucket: string, key: string, signal: AbortSignal): Promise<{ checksum?: string; verified?: boolean }> {
  const candidates = [key.replace(/(\.(dump|sql|tar))?(\.(gz|rdb|bak))?$/, '.metadata'), `${key}.metadata`];
  for (const candidate of candidates) {
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: candidate }), { abortSignal: signal });
      return JSON.parse(await (res.Body as { transformToString(): Promise<string> }).transformToString()) as { checksum?: string; verified?: boolean };
    } catch (error) {
      if (error instanceof SyntaxError) throw new ProbeError(`${candidate} is not valid JSON`);
    }
  }
  throw new ProbeError(`no metadata for ${key} (looked for ${candidates.join(', ')})`);
}

function reason(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return [e.name, e.code, status ? `HTTP ${status}` : undefined, e.message].filter(Boolean).join(': ');
}
