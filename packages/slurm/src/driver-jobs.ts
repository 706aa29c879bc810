/**
 * The jobs a driver has in flight, one file each under `<folder>/<jobId>.json` naming the driver (host and pid):
 * written when a job is queued, removed when it ends. A driver killed with `kill -9` leaves its files behind;
 * the next driver on that host cancels those jobs (their driver is gone, so nobody would commit or report them)
 * before it submits anything. A job's own run commits with the store's protocol, so a cancelled job never
 * leaves a partial entry. Drivers on other hosts are left alone: their liveness cannot be told from here.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { isAlive } from "@ganflow/core"
import { cancelJobs } from "./cancel-job.ts"
import type { SlurmCommandFailed, SlurmCommandMissing } from "./errors.ts"
import type { SlurmCli } from "./slurm-cli.ts"

/** What a driver records of one job it submitted. */
export interface DriverJob {
  readonly jobId: string
  readonly stage: string
  readonly host: string
  readonly pid: number
}

/** The jobs registry in `folder` (shared by every driver of one store). */
export const driverJobs = (folder: string) => {
  const pathOf = (jobId: string) => join(folder, `${jobId}.json`)
  return {
    /** Records that this process submitted `jobId` for `stage`. */
    record: (jobId: string, stage: string) =>
      Effect.sync(() => {
        mkdirSync(folder, { recursive: true })
        const job: DriverJob = { jobId, stage, host: hostname(), pid: process.pid }
        writeFileSync(pathOf(jobId), JSON.stringify(job))
      }),
    /** Forgets `jobId` (it ended, or was cancelled). */
    forget: (jobId: string) => Effect.sync(() => rmSync(pathOf(jobId), { force: true })),
    /**
     * Cancels the jobs of drivers on this host that are gone, and forgets them; returns what it cancelled.
     * An unreadable entry is removed (a driver crashed while writing it).
     */
    cancelOrphans: (): Effect.Effect<ReadonlyArray<DriverJob>, SlurmCommandMissing | SlurmCommandFailed, SlurmCli> =>
      Effect.gen(function* () {
        let names: Array<string>
        try {
          names = readdirSync(folder).filter((name) => name.endsWith(".json"))
        } catch {
          return []
        }
        const orphans: Array<DriverJob> = []
        for (const name of names) {
          let job: DriverJob | undefined
          try {
            job = JSON.parse(readFileSync(join(folder, name), "utf8")) as DriverJob
          } catch {
            rmSync(join(folder, name), { force: true })
            continue
          }
          if (job.host === hostname() && !isAlive(job.pid)) orphans.push(job)
        }
        yield* cancelJobs(orphans.map((job) => job.jobId))
        for (const job of orphans) rmSync(pathOf(job.jobId), { force: true })
        return orphans
      }),
  }
}
