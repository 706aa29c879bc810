/**
 * Chooses a backend from a list of candidates: `auto` takes the first that runs and notes why each earlier one
 * did not; an explicit choice runs only that candidate and fails with its reason.
 */
import type { BackendCandidate, CandidateOutcome, CandidateSettings } from "./backend-candidate.ts"
import { reasonFrom } from "./backend-candidate.ts"
import { BackendUnavailable } from "./backend-errors.ts"
import type { BackendChoice, BackendInfo } from "./backend-info.ts"

const tryActivate = async (candidate: BackendCandidate, settings: CandidateSettings): Promise<CandidateOutcome> => {
  try {
    return await candidate.activate(settings)
  } catch (cause) {
    return { available: false, reason: `failed to start: ${reasonFrom(cause)}` }
  }
}

/**
 * Activates the chosen backend among `candidates` (in preference order).
 * Fails with {@link BackendUnavailable} when an explicit choice cannot run, when it is not in the list, or when
 * no candidate at all runs under `auto` (the reason then lists every candidate's).
 */
export const selectBackend = async (
  candidates: ReadonlyArray<BackendCandidate>,
  choice: BackendChoice,
  settings: CandidateSettings,
): Promise<BackendInfo> => {
  if (choice !== "auto") {
    const candidate = candidates.find((c) => c.name === choice)
    if (candidate === undefined) {
      throw new BackendUnavailable({ backend: choice, reason: "no such candidate is known to this build" })
    }
    const outcome = await tryActivate(candidate, { ...settings, explicit: true })
    if (!outcome.available) throw new BackendUnavailable({ backend: choice, reason: outcome.reason })
    return { ...outcome.info, notes: [] }
  }
  const notes: Array<string> = []
  for (const candidate of candidates) {
    const outcome = await tryActivate(candidate, { ...settings, explicit: false })
    if (outcome.available) return { ...outcome.info, notes }
    notes.push(`${candidate.name}: ${outcome.reason}`)
  }
  throw new BackendUnavailable({ backend: "auto", reason: notes.join("; ") })
}
