/**
 * Benchmark: the remote-hit path. A fresh clone with an empty local store and a warm remote cache runs
 * `ganflow run dcgan-anime --remote <name>`: every stage is a hit, and only the stages holding the results
 * (samples, curves, demo) are downloaded. Measured against recomputing the pipeline (the warm-up run in the same
 * bench run, which also uploads), for a shared-folder remote (`file://`) and an S3 one (an `s3rver` process).
 * Targets: the hit run under 10 s, and the bytes downloaded equal to the results' bytes.
 *
 *   npx tsx bench/remote-hit.ts [--tiny]      # --tiny: the CI-sized config of the tests (default: the pipeline's default)
 *
 * Each run is a `ganflow` child process, as a user runs it (wall time includes starting node and the CLI bundle,
 * which is built once before timing). The workspace under bench/.work re-exports the repository's pipeline and
 * holds its own ganflow.json with the two remotes.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { s3rverCredentials, startS3rver } from "../packages/remote/test/s3rver-process.ts"

const repo = join(import.meta.dirname, "..")
const bin = join(repo, "packages/cli/bin/ganflow.mjs")
const work = join(repo, "bench/.work/remote-hit")
const tiny = process.argv.includes("--tiny")
const sets = tiny
  ? [
      'data.synthetic={"kind":"anime-faces","count":64}', "reference.sampleCap=64", 'train.model={"architecture":"dcgan","options":{"resolution":32,"ngf":8,"ndf":8}}',
      "train.steps=4", "train.batchSize=8", "train.checkpointEvery=2", "fid.samples=32", "fid.sampleCap=32", "fid.batchSize=16", "fid.kidSubsetSize=16",
      "fid.kidSubsets=5", "samples.count=4", "samples.interpolationRows=1", "samples.interpolationSteps=3", "demo.sampleCount=4",
    ].flatMap((s) => ["--set", s])
  : []

rmSync(work, { recursive: true, force: true })
mkdirSync(join(work, "pipelines/src"), { recursive: true })
mkdirSync(join(work, "nfs"))
const up = relative(work, repo)
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "remote-hit-bench", private: true, type: "module", workspaces: [`${up}/packages/*`, `${up}/pipelines`] }))
writeFileSync(join(work, "pipelines/src/dcgan-anime.ts"), `export { default } from ${JSON.stringify(join(repo, "pipelines/src/dcgan-anime.ts"))}\n`)

const s3 = await startS3rver()
const env = { ...process.env, ...s3rverCredentials }
const ganflow = (args: string[]): { out: string; seconds: number } => {
  const t0 = performance.now()
  const out = execFileSync(process.execPath, [bin, ...args], { cwd: work, env, encoding: "utf8", maxBuffer: 1 << 26 })
  return { out, seconds: (performance.now() - t0) / 1000 }
}
interface Outcome { name: string; status: string; key: string; remote?: { downloaded: boolean; bytes: number } }
const recordOf = (out: string): Outcome[] => (JSON.parse(readFileSync(/record (\S+\.json)/.exec(out)![1]!, "utf8")) as { stages: Outcome[] }).stages
const entryBytes = (store: string, keys: string[]): number => {
  const objects = new Map<string, number>()
  for (const key of keys) {
    for (const [, digest, size] of (JSON.parse(readFileSync(join(store, "manifests", `${key}.json`), "utf8")) as { files: [string, string, number][] }).files) objects.set(digest, size)
  }
  return [...objects.values()].reduce((a, b) => a + b, 0)
}
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`

try {
  ganflow(["remote", "add", "lab", `file://${join(work, "nfs")}`])
  ganflow(["remote", "add", "s3lab", "s3://gan-cache/ganflow", "--endpoint", s3.endpoint, "--region", "us-east-1"])
  ganflow(["status", "dcgan-anime", "--store", join(work, "bundle"), ...sets]) // builds the CLI bundle (not timed)

  const warm = join(work, "warm")
  const recompute = ganflow(["run", "dcgan-anime", "--store", warm, "--remote", "lab", ...sets])
  const stages = recordOf(recompute.out)
  if (stages.some((s) => s.status !== "ran")) throw new Error(`the warm-up run did not compute every stage:\n${recompute.out}`)
  ganflow(["push", "s3lab", "--store", warm])
  const results = ["samples", "curves", "demo"]
  const resultBytes = entryBytes(warm, stages.filter((s) => results.includes(s.name)).map((s) => s.key))
  const allBytes = entryBytes(warm, stages.map((s) => s.key))

  console.log(`dcgan-anime (${tiny ? "tiny" : "default"} config): recompute (and upload to lab) ${recompute.seconds.toFixed(1)} s; all entries ${mb(allBytes)}, the results' stages ${mb(resultBytes)}`)
  console.log("remote   hit run   vs recompute   downloaded   results' bytes   all hits   targets (< 10 s, only the results)")
  for (const remote of ["lab", "s3lab"]) {
    const hit = ganflow(["run", "dcgan-anime", "--store", join(work, `fresh-${remote}`), "--remote", remote, ...sets])
    const outcomes = recordOf(hit.out)
    const downloaded = outcomes.reduce((a, s) => a + (s.remote?.bytes ?? 0), 0)
    const allHits = outcomes.every((s) => s.status === "cached")
    const ok = hit.seconds < 10 && downloaded === resultBytes && allHits
    console.log(
      `${remote.padEnd(8)} ${`${hit.seconds.toFixed(2)} s`.padEnd(9)} ${`${(recompute.seconds / hit.seconds).toFixed(1)}x faster`.padEnd(14)} ${mb(downloaded).padEnd(12)} ${mb(resultBytes).padEnd(16)} ${String(allHits).padEnd(10)} ${ok ? "met" : "MISSED"}`,
    )
  }
} finally {
  await s3.stop()
}
