/**
 * Failures of backend selection and of the kernels this package adds, as tagged errors. Each message names the
 * backend (and, for kernels, the kernel) so a user can act without reading a stack trace.
 */
import { Data } from "effect"

/** The backend asked for explicitly cannot run here; `reason` says why (package missing, no GPU adapter, ...). */
export class BackendUnavailable extends Data.TaggedError("BackendUnavailable")<{
  readonly backend: string
  readonly reason: string
}> {
  override get message() {
    return `backend ${this.backend} is not available: ${this.reason}`
  }
}

/** The backend options did not validate (unknown backend name, threads not a positive integer, unknown key). */
export class BackendOptionsInvalid extends Data.TaggedError("BackendOptionsInvalid")<{
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `backend options are invalid: ${this.problems.join("; ")}`
  }
}

/** A kernel this package registered was called with inputs it does not support (e.g. NCHW layout). */
export class KernelInputUnsupported extends Data.TaggedError("KernelInputUnsupported")<{
  readonly kernel: string
  readonly backend: string
  readonly reason: string
}> {
  override get message() {
    return `kernel ${this.kernel} on ${this.backend}: ${this.reason}`
  }
}

/** `describeBackend()` was called before `initBackend()` chose a backend. */
export class BackendNotInitialised extends Data.TaggedError("BackendNotInitialised")<{}> {
  override get message() {
    return "no backend has been chosen yet: call initBackend() first"
  }
}

/** Every error this package can fail with. */
export type BackendError = BackendUnavailable | BackendOptionsInvalid | KernelInputUnsupported | BackendNotInitialised
