/**
 * A backend candidate is data: a name and one async `activate` step that either makes tfjs run on that backend
 * or says, in one line, why it cannot. Selection walks a list of these (see `selectBackend`).
 */
import type { BackendInfo, BackendName } from "./backend-info.ts"

/** What a candidate learns when asked to run: the backend record, or the reason it cannot run here. */
export type CandidateOutcome =
  | { readonly available: true; readonly info: Omit<BackendInfo, "notes"> }
  | { readonly available: false; readonly reason: string }

/** Settings every candidate receives; each uses what applies to it. */
export interface CandidateSettings {
  /** Compute threads asked for; undefined means "every logical core". */
  readonly threads: number | undefined
  /** Whether the user named this backend (not `auto`): only then may a candidate take a slow fallback it must be asked for (a software GPU adapter). */
  readonly explicit?: boolean
}

/** One backend that `initBackend` may choose. `activate` never throws: failures are `{ available: false }`. */
export interface BackendCandidate {
  readonly name: BackendName
  readonly activate: (settings: CandidateSettings) => Promise<CandidateOutcome>
}

/** The outcome for a candidate that cannot run, with its reason. */
export const unavailable = (reason: string): CandidateOutcome => ({ available: false, reason })

/** A one-line reason from anything thrown: an Error's message (first line), else its string form. */
export const reasonFrom = (cause: unknown): string => {
  const text = cause instanceof Error ? cause.message : String(cause)
  return text.split("\n")[0] ?? text
}
