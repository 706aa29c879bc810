/** A progress report, sent after every step. Rates in steps per second, times in seconds. */
export interface RunProgress {
  /** Steps done (the step counter after this step). */
  readonly step: number
  readonly totalSteps: number
  /** Steps per second over the recent window (last ~20 steps of this process). */
  readonly stepsPerSecond: number
  /** Estimated seconds to `totalSteps` at that rate. */
  readonly etaSeconds: number
  /** The last losses read: phase totals by phase name, and `<phase>/<term>`. */
  readonly losses: Readonly<Record<string, number>>
  /** The last live metric values (`fid@random-cnn-seed0`), when the run computes them. */
  readonly metrics?: Readonly<Record<string, number>>
}

/** Progress of a classic GAN (`train`): the two players' losses. */
export interface TrainingProgress extends RunProgress {
  readonly losses: { readonly discriminator: number; readonly generator: number }
}

/** Sliding-window rate meter for {@link TrainingProgress}. */
export class StepRate {
  private readonly times: number[] = []
  constructor(private readonly window = 20) {}
  /** Records a finished step at `now` (ms) and returns the steps/s over the window (0 until two steps). */
  tick(now: number): number {
    this.times.push(now)
    if (this.times.length > this.window + 1) this.times.shift()
    const span = (this.times[this.times.length - 1]! - this.times[0]!) / 1000
    return span > 0 ? (this.times.length - 1) / span : 0
  }
}

/** The short names of phase totals in the progress line. */
const shortNames: Readonly<Record<string, string>> = { discriminator: "D", generator: "G" }

/** The phase totals of a progress report as `D 1.213  G 0.874` (other phases by name). */
export const formatLosses = (losses: Readonly<Record<string, number>>): string =>
  Object.entries(losses)
    .filter(([name]) => !name.includes("/"))
    .map(([name, value]) => `${shortNames[name] ?? name} ${value.toFixed(3)}`)
    .join("  ")

/** One-line progress bar: `[#######.............] 350/1000  12.4 steps/s  ETA 52s  D 1.213  G 0.874`. */
export const formatProgress = (p: RunProgress, width = 20): string => {
  const filled = Math.round((p.step / p.totalSteps) * width)
  const bar = "#".repeat(filled) + ".".repeat(Math.max(0, width - filled))
  const eta = Number.isFinite(p.etaSeconds) ? formatSeconds(p.etaSeconds) : "?"
  return `[${bar}] ${p.step}/${p.totalSteps}  ${p.stepsPerSecond.toFixed(1)} steps/s  ETA ${eta}  ${formatLosses(p.losses)}`
}

const formatSeconds = (s: number): string =>
  s < 60 ? `${Math.round(s)}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
