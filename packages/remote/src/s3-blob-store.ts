/**
 * A remote on S3-compatible storage (`s3://bucket/prefix`), through `@aws-sdk/client-s3`. Targets AWS S3, MinIO,
 * Ceph RGW and Cloudflare R2, so it uses only the basic, universally implemented S3 API:
 *
 * - PutObject (one request per object: objects up to S3's 5 GB single-PUT limit; no multipart upload),
 * - GetObject, HeadObject, DeleteObject,
 * - ListObjectsV2 (paginated with continuation tokens).
 *
 * No conditional writes (If-None-Match), versioning, object lock, tagging or ACLs. Checksums are sent and checked
 * only where S3 requires them (`requestChecksumCalculation: WHEN_REQUIRED`), because the SDK's default CRC32
 * trailers use `aws-chunked` uploads that several S3-compatible stores do not accept; integrity comes from our
 * own sha256 check of every download instead. A PutObject is atomic, so no temp names are needed; "first
 * manifest wins" is a HeadObject before the PutObject (two pushes racing between those both write; the last
 * stays, and either is a complete entry). With a custom endpoint (MinIO, Ceph, R2, s3rver) requests are
 * path-style and the region defaults to us-east-1; credentials always come from the standard AWS chain
 * (environment, AWS_PROFILE and ~/.aws, SSO, web identity, instance or container role), never from ganflow's config.
 */
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from "node:fs"
import { pipeline } from "node:stream/promises"
import type { Readable } from "node:stream"
import { Effect } from "effect"
import type { S3Client } from "@aws-sdk/client-s3"
import { RemoteAccessDenied, type RemoteAccessError, type RemoteListing, RemoteNotFound, RemoteRequestFailed, RemoteUnreachable } from "@ganflow/core"
import type { BlobStore, RemoteIdentity } from "./blob-store.ts"

/** How to reach an S3-compatible service. */
export interface S3Location {
  readonly bucket: string
  /** Key prefix, empty or ending in `/`. */
  readonly prefix: string
  /** Custom endpoint (MinIO, Ceph RGW, R2, s3rver); AWS S3 when absent. */
  readonly endpoint?: string | undefined
  /** Region; from the AWS chain (AWS_REGION, ~/.aws/config) when absent, us-east-1 with a custom endpoint. */
  readonly region?: string | undefined
  /** Keys per ListObjectsV2 page (S3's default and maximum is 1000; tests use small pages to exercise pagination). */
  readonly listPageSize?: number
}

/** Objects at most this big are uploaded from memory (so the SDK can retry them); larger ones are streamed. */
const bufferedUploadBytes = 16 << 20

/** The blob store of an S3 bucket/prefix. The SDK is loaded on first use, so other commands never pay for it. */
export const s3BlobStore = (identity: RemoteIdentity, location: S3Location): BlobStore => {
  const { bucket, prefix } = location
  const keyOf = (name: string) => `${prefix}${name}`
  let client: Promise<{ readonly sdk: typeof import("@aws-sdk/client-s3"); readonly client: S3Client }> | undefined
  const connect = () =>
    (client ??= (async () => {
      // the SDK warns on every start that versions from 2027 will need Node 22; this one is pinned by the lockfile
      process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true"
      const sdk = await import("@aws-sdk/client-s3")
      const region = location.region ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"] ?? (location.endpoint !== undefined ? "us-east-1" : undefined)
      return {
        sdk,
        client: new sdk.S3Client({
          ...(location.endpoint !== undefined ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
          ...(region !== undefined ? { region } : {}),
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
          maxAttempts: 3,
          requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
        }),
      }
    })())
  /** One SDK call as an Effect; S3 failures become remote errors naming the operation. */
  const call = <A>(operation: string, send: (s3: Awaited<ReturnType<typeof connect>>) => Promise<A>): Effect.Effect<A, RemoteAccessError> =>
    Effect.tryPromise({ try: async () => send(await connect()), catch: (e) => s3Error(identity, operation, e) })
  const absent = (e: unknown) => statusOf(e) === 404 && nameOf(e) !== "NoSuchBucket"
  const head = (name: string) =>
    Effect.tryPromise({
      try: async () => {
        const { sdk, client: c } = await connect()
        try {
          await c.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: keyOf(name) }))
          return true
        } catch (e) {
          if (absent(e)) return false
          throw e
        }
      },
      catch: (e) => s3Error(identity, `HeadObject ${keyOf(name)}`, e),
    })
  const get = <A>(name: string, consume: (body: Readable) => Promise<A>): Effect.Effect<A | undefined, RemoteAccessError> =>
    Effect.tryPromise({
      try: async () => {
        const { sdk, client: c } = await connect()
        let body: Readable
        try {
          body = (await c.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: keyOf(name) }))).Body as Readable
        } catch (e) {
          if (absent(e)) return undefined
          throw e
        }
        return consume(body)
      },
      catch: (e) => s3Error(identity, `GetObject ${keyOf(name)}`, e),
    })
  const put = (name: string, body: Buffer | Readable | string, length: number) =>
    call(`PutObject ${keyOf(name)}`, ({ sdk, client: c }) => c.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: keyOf(name), Body: body, ContentLength: length }))).pipe(Effect.asVoid)
  const listUnder = (dir: string): Effect.Effect<RemoteListing[], RemoteAccessError> =>
    call(`ListObjectsV2 ${keyOf(dir)}/`, async ({ sdk, client: c }) => {
      const out: RemoteListing[] = []
      const base = keyOf(`${dir}/`)
      let token: string | undefined
      do {
        const page = await c.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: base, ...(location.listPageSize !== undefined ? { MaxKeys: location.listPageSize } : {}), ...(token !== undefined ? { ContinuationToken: token } : {}) }))
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined || !o.Key.startsWith(base)) continue
          out.push({ name: o.Key.slice(base.length), size: o.Size ?? 0, modifiedMs: o.LastModified?.getTime() ?? 0 })
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined
      } while (token !== undefined)
      return out
    })
  return {
    identity,
    probe: () =>
      Effect.tryPromise({
        try: async () => {
          const { sdk, client: c } = await connect()
          await c.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }))
        },
        catch: (e): RemoteAccessError | RemoteNotFound =>
          nameOf(e) === "NoSuchBucket" ? new RemoteNotFound({ ...identity, what: `bucket ${bucket} (create it, or check the URL and --endpoint)` }) : s3Error(identity, `ListObjectsV2 on bucket ${bucket}`, e),
      }),
    exists: head,
    download: (name, path) =>
      get(name, async (body) => {
        try {
          await pipeline(body, createWriteStream(path, { flags: "wx" }))
        } catch (e) {
          rmSync(path, { force: true })
          throw e
        }
        return true
      }).pipe(Effect.map((r) => r ?? false)),
    read: (name) => get(name, async (body) => Buffer.concat(await body.toArray()).toString("utf8")),
    upload: (name, path) =>
      Effect.suspend(() => {
        const size = statSync(path).size
        return put(name, size <= bufferedUploadBytes ? readFileSync(path) : createReadStream(path), size)
      }),
    writeIfAbsent: (name, text) =>
      Effect.gen(function* () {
        if (yield* head(name)) return "kept" as const
        yield* put(name, text, Buffer.byteLength(text))
        return "stored" as const
      }),
    list: listUnder,
    remove: (name) => call(`DeleteObject ${keyOf(name)}`, ({ sdk, client: c }) => c.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: keyOf(name) }))).pipe(Effect.asVoid),
    removeAbandonedUploads: () => Effect.succeed(0),
  }
}

const statusOf = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode
const nameOf = (e: unknown): string | undefined => (e as { name?: string } | null)?.name

/** Network failures that mean the endpoint cannot be reached. */
const networkCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"])

/** An SDK failure as a remote error: no or wrong credentials and 403s are access denied; network failures unreachable. */
const s3Error = (identity: RemoteIdentity, operation: string, e: unknown): RemoteAccessError => {
  const name = nameOf(e) ?? ""
  const message = (e as Error | null)?.message ?? String(e)
  const code = (e as { code?: string } | null)?.code
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return new RemoteAccessDenied({ ...identity, reason: "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (~/.aws/credentials), or use SSO or an instance role" })
  }
  if (/Region is missing/i.test(message)) {
    return new RemoteAccessDenied({ ...identity, reason: "no region: set AWS_REGION, or `ganflow remote add … --region <region>`" })
  }
  if (statusOf(e) === 403 || ["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"].includes(name)) {
    return new RemoteAccessDenied({ ...identity, reason: `${operation}: ${name}: ${message}` })
  }
  if ((code !== undefined && networkCodes.has(code)) || name === "TimeoutError" || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|timed? ?out/i.test(message)) {
    return new RemoteUnreachable({ ...identity, reason: `${operation}: ${code ?? name}: ${message}` })
  }
  return new RemoteRequestFailed({ ...identity, operation, reason: `${name}${statusOf(e) !== undefined ? ` (HTTP ${statusOf(e)})` : ""}: ${message}` })
}
