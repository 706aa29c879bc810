/**
 * Where a remote lives, from its URL: `s3://bucket[/prefix]` (any S3-compatible service; the endpoint and
 * region are separate options) or `file:///absolute/folder` (a shared filesystem such as NFS). Credentials never
 * go in a URL: S3 credentials come from the standard AWS chain.
 */
import { isAbsolute } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { RemoteConfigInvalid, trySync, instancesOf } from "@ganflow/core"

/** A parsed remote location. */
export type RemoteLocation =
  | { readonly kind: "s3"; readonly bucket: string; readonly prefix: string }
  | { readonly kind: "file"; readonly root: string }

/** Parse a remote URL; fails with RemoteConfigInvalid naming `where` (the config entry or CLI argument). */
export const parseRemoteUrl = (url: string, where: string): Effect.Effect<RemoteLocation, RemoteConfigInvalid> =>
  trySync(() => locationOf(url, where), instancesOf(RemoteConfigInvalid))

/** Check an S3 endpoint option (an http(s) URL without credentials); returns it without a trailing slash. */
export const checkEndpoint = (endpoint: string, where: string): Effect.Effect<string, RemoteConfigInvalid> =>
  trySync(() => endpointOf(endpoint, where), instancesOf(RemoteConfigInvalid))

const locationOf = (url: string, where: string): RemoteLocation => {
  const invalid = (problem: string) => new RemoteConfigInvalid({ where, problem: `${url}: ${problem}` })
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid("not a URL (expected s3://bucket/prefix or file:///shared/folder)")
  }
  if (parsed.username !== "" || parsed.password !== "") throw invalid("credentials never go in a remote URL (it is committed); S3 credentials come from the AWS chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, SSO or an instance role")
  if (parsed.search !== "" || parsed.hash !== "") throw invalid("a remote URL takes no query or fragment")
  if (parsed.protocol === "s3:") {
    const bucket = parsed.hostname
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw invalid(`bucket "${bucket}" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)`)
    // checked on the text: URL parsing would silently resolve `a/../b` to `b`
    if (url.slice("s3://".length).split("/").some((p) => p === "." || p === "..")) throw invalid("the prefix may not contain . or .. segments")
    const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, "")
    return { kind: "s3", bucket, prefix: prefix === "" ? "" : `${prefix}/` }
  }
  if (parsed.protocol === "file:") {
    if (parsed.host !== "") throw invalid("a file URL names a local path: file:///shared/folder (three slashes)")
    const root = fileURLToPath(parsed).replace(/\/+$/, "")
    if (!isAbsolute(root) || root === "") throw invalid("a file remote must be an absolute folder")
    return { kind: "file", root }
  }
  throw invalid(`unsupported scheme ${parsed.protocol} (expected s3:// or file://)`)
}

const endpointOf = (endpoint: string, where: string): string => {
  let parsed: URL
  try {
    parsed = new URL(endpoint)
  } catch {
    throw new RemoteConfigInvalid({ where, problem: `endpoint ${endpoint} is not a URL (expected http://host:port or https://host)` })
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new RemoteConfigInvalid({ where, problem: `endpoint ${endpoint} must be http:// or https://` })
  if (parsed.username !== "" || parsed.password !== "") throw new RemoteConfigInvalid({ where, problem: "credentials never go in an endpoint URL; they come from the AWS chain" })
  return endpoint.replace(/\/+$/, "")
}
