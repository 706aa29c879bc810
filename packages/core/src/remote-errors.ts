/**
 * Every failure a remote cache reports, as tagged errors. Each message names the remote (its config name and
 * URL) and what it was about, so a user can fix the setup without a stack trace. The CLI exits 2 on all of them.
 */
import { Data } from "effect"

/** The remote's identity in messages: its name in `ganflow.json` and its URL. */
interface RemoteIdentity {
  readonly remote: string
  readonly url: string
}

/** No remote of that name is configured. */
export class RemoteUnknown extends Data.TaggedError("RemoteUnknown")<{
  readonly remote: string
  readonly configFile: string
  readonly known: ReadonlyArray<string>
}> {
  override get message() {
    const known = this.known.length === 0 ? "no remotes are configured" : `configured: ${this.known.join(", ")}`
    return `unknown remote "${this.remote}" (${known} in ${this.configFile}; add one with \`ganflow remote add <name> <url>\`)`
  }
}

/** The remote's configuration is wrong: a malformed config file, URL or option. */
export class RemoteConfigInvalid extends Data.TaggedError("RemoteConfigInvalid")<{
  readonly where: string
  readonly problem: string
}> {
  override get message() {
    return `${this.where}: ${this.problem}`
  }
}

/** The remote's endpoint or folder cannot be reached (connection refused, unknown host, timeout, no mount). */
export class RemoteUnreachable extends Data.TaggedError("RemoteUnreachable")<RemoteIdentity & { readonly reason: string }> {
  override get message() {
    return `remote ${this.remote} (${this.url}) is unreachable: ${this.reason}`
  }
}

/** The remote refused our credentials or permissions (no credentials in the AWS chain, wrong keys, a policy). */
export class RemoteAccessDenied extends Data.TaggedError("RemoteAccessDenied")<RemoteIdentity & { readonly reason: string }> {
  override get message() {
    return `remote ${this.remote} (${this.url}) denied access: ${this.reason}`
  }
}

/** Something asked for is not on the remote: an object, a manifest, a run record, or the bucket/folder itself. */
export class RemoteNotFound extends Data.TaggedError("RemoteNotFound")<RemoteIdentity & { readonly what: string }> {
  override get message() {
    return `remote ${this.remote} (${this.url}) has no ${this.what}`
  }
}

/**
 * Something on the remote does not match its name or seal: an object whose sha256 is not its digest, a manifest
 * or run record that does not parse or match its seal. It was never used; it was removed from the remote where
 * the credentials allow, so the next push replaces it.
 */
export class RemoteObjectCorrupt extends Data.TaggedError("RemoteObjectCorrupt")<RemoteIdentity & { readonly what: string; readonly reason: string }> {
  override get message() {
    return `remote ${this.remote} (${this.url}): ${this.what} is corrupt (${this.reason}); not used`
  }
}

/** A request failed for another reason (a server error, an unexpected answer). */
export class RemoteRequestFailed extends Data.TaggedError("RemoteRequestFailed")<RemoteIdentity & { readonly operation: string; readonly reason: string }> {
  override get message() {
    return `remote ${this.remote} (${this.url}): ${this.operation} failed: ${this.reason}`
  }
}

/** Failures of reaching a remote at all (any operation may fail with these). */
export type RemoteAccessError = RemoteUnreachable | RemoteAccessDenied | RemoteRequestFailed

/** Everything a remote operation fails with. */
export type RemoteError = RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt | RemoteUnknown | RemoteConfigInvalid
