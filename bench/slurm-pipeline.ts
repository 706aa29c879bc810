/**
 * Benchmark (issue 14): a 20-stage pipeline, 1 s of work per stage, through the local one-node Slurm cluster of
 * tools/slurm-cluster (started here when it is not running, and stopped again), every stage a Slurm job.
 * Measured in one run, wall time from the first submission to the last output:
 *
 *   snakemake       Snakemake 7 `--slurm` on the equivalent Snakefile (the peer)
 *   ganflow-client  the same DAG submitted through @ganflow/slurm's runJob, each stage one job submitted as soon as
 *                   its upstream completed: the floor `--executor slurm` can reach (Slurm's round trip and our
 *                   polling, without a ganflow process starting on the node)
 *   ganflow         `ganflow run slurm-bench20 --executor slurm --jobs 20` on the same DAG as a ganflow pipeline:
 *                   each stage a job running `ganflow exec-stage` on the node (a node process start per stage)
 *
 *   npx tsx bench/slurm-pipeline.ts [repeats=1]        (as root: the cluster runs as root)
 *
 * The DAG: stage i > 0 reads stage ⌊(i-1)/2⌋ (a binary tree, 5 levels), stage 0 reads data/in.txt; each sleeps 1 s
 * and writes out/s<i>.txt (its upstream's text plus its number). So 20 s of work, a critical path of 5 stages, and
 * up to 2 jobs at once on the node's 2 CPUs. Target: ganflow/snakemake <= 1.0x.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Deferred, Effect } from "effect"
import { layerSlurmCli, runJob } from "@ganflow/slurm"

const repo = resolve(fileURLToPath(import.meta.url), "../..")
const repeats = Number(process.argv[2] ?? 1)
const stages = 20
const parentOf = (i: number) => Math.floor((i - 1) / 2)
const work = join(repo, "bench", ".work", "slurm-pipeline")
const clusterScript = join(repo, "tools", "slurm-cluster")

// the cluster: reuse a running one, else start one for this benchmark and stop it at the end
const wasUp = spawnSync(clusterScript, ["status"]).status === 0
const started = spawnSync(clusterScript, ["start"], { encoding: "utf8" })
const slurmConf = /export SLURM_CONF=(\S+)/.exec(started.stdout)?.[1]
if (started.status !== 0 || slurmConf === undefined) throw new Error(`tools/slurm-cluster start failed:\n${started.stderr}`)
const env = { ...process.env, SLURM_CONF: slurmConf, USER: process.env["USER"] ?? "root" }

/** The shell work of stage i, the same on every side. */
const stageCommand = (i: number, input: string, output: string) => `sleep 1; cat ${input} > ${output}; echo ${i} >> ${output}`
const inputOf = (i: number) => (i === 0 ? "data/in.txt" : `out/s${parentOf(i)}.txt`)

const prepare = (side: string) => {
  const folder = join(work, side)
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(join(folder, "data"), { recursive: true })
  mkdirSync(join(folder, "out"), { recursive: true })
  writeFileSync(join(folder, "data", "in.txt"), "input\n")
  return folder
}

/** Every stage's output, to check the sides computed the same thing. */
const outputs = (folder: string) => Array.from({ length: stages }, (_, i) => readFileSync(join(folder, "out", `s${i}.txt`), "utf8"))

const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now()
  await f()
  return (performance.now() - t0) / 1000
}

const runSnakemake = async () => {
  const folder = prepare("snakemake")
  const rules = Array.from(
    { length: stages },
    (_, i) =>
      `rule s${i}:\n    input: "${inputOf(i)}"\n    output: "out/s${i}.txt"\n    threads: 1\n    resources: runtime=5, mem_mb=100\n    shell: "${stageCommand(i, "{input}", "{output}")}"\n`,
  )
  const all = Array.from({ length: stages }, (_, i) => `"out/s${i}.txt"`).join(", ")
  writeFileSync(join(folder, "Snakefile"), `rule all:\n    input: ${all}\n\n${rules.join("\n")}`)
  // Snakemake 7 turns any status-check rate above 1/s into one check per 33 s on Slurm (scheduler.py); 1/s is the
  // fastest it allows, so that is what it gets here
  const args = ["--slurm", "--jobs", String(stages), "--latency-wait", "5", "--max-status-checks-per-second", "1", "--quiet"]
  const seconds = await time(async () => execFileSync("snakemake", args, { cwd: folder, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }))
  return { seconds, outputs: outputs(folder) }
}

const runGanflowClient = async () => {
  const folder = prepare("ganflow-client")
  const stage = (i: number, done: ReadonlyArray<Deferred.Deferred<void>>) =>
    Effect.gen(function* () {
      if (i > 0) yield* Deferred.await(done[parentOf(i)]!)
      yield* runJob(
        {
          name: `ganflow:slurm-bench20:s${i}`,
          script: `#!/bin/bash\nset -e\n${stageCommand(i, inputOf(i), `out/s${i}.txt`)}\n`,
          logPath: join(folder, "out", `s${i}-%j.log`),
          workDir: folder,
          resources: { cpus: 1, memory: "100M", time: "5" },
        },
        { pollInterval: "250 millis" },
      )
      yield* Deferred.succeed(done[i]!, undefined)
    })
  const dag = Effect.gen(function* () {
    const done = yield* Effect.forEach(Array.from({ length: stages }), () => Deferred.make<void>())
    yield* Effect.forEach(Array.from({ length: stages }, (_, i) => i), (i) => stage(i, done), { concurrency: "unbounded", discard: true })
  })
  const seconds = await time(() => Effect.runPromise(Effect.provide(dag, layerSlurmCli({ env: { SLURM_CONF: slurmConf } }))))
  return { seconds, outputs: outputs(folder) }
}

const ganflowBin = join(repo, "packages", "cli", "bin", "ganflow.mjs")

/** The same DAG as a ganflow pipeline in its own workspace (as bench/engine-noop.ts does for its 50 stages). */
const prepareGanflowWorkspace = () => {
  const folder = prepare("ganflow")
  mkdirSync(join(folder, "pipelines", "src"), { recursive: true })
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "bench-ws", private: true, type: "module", workspaces: [] }))
  writeFileSync(
    join(folder, "pipelines", "src", "slurm-bench20.ts"),
    `import { Effect } from "effect"
import { type } from "arktype"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { defineStage, file, fileInput, pipeline, upstream } from "@ganflow/core"
const step = defineStage({
  name: "step",
  params: type({ i: "number.integer" }),
  inputs: { src: fileInput({ optional: true }), up: upstream({ optional: true }) },
  run: ({ inputs, params, outDir }) => Effect.sync(() => {
    const input = inputs.up ? inputs.up.path("out.txt") : inputs.src!.path
    execFileSync("bash", ["-c", ${JSON.stringify("sleep 1; cat \"$1\" > \"$2\"; echo $3 >> \"$2\"")}, "-", input, join(outDir, "out.txt"), String(params.i)])
    return null
  }),
})
const stages: Array<ReturnType<typeof step.as>> = []
for (let i = 0; i < ${stages}; i++) {
  stages.push(step.as("s" + i, {
    params: { i },
    inputs: i === 0 ? { src: file("data/in.txt"), up: null } : { src: null, up: stages[Math.floor((i - 1) / 2)]! },
  }))
}
export default pipeline({ name: "slurm-bench20", stages })
`,
  )
  return folder
}

/** ganflow --executor slurm on the same DAG, every stage a job running `ganflow exec-stage` on the node. */
const runGanflow = async () => {
  const folder = prepareGanflowWorkspace()
  const args = [ganflowBin, "run", "slurm-bench20", "--executor", "slurm", "--jobs", String(stages), "--mem", "100M", "--time", "5", "--store", join(folder, ".ganflow")]
  // the pipeline is bundled once per workspace (what every later run reuses): not part of the timed run
  execFileSync(process.execPath, [ganflowBin, "status", "slurm-bench20", "--store", join(folder, ".ganflow")], { cwd: folder, env, stdio: "ignore" })
  let stdout = ""
  const seconds = await time(async () => {
    stdout = execFileSync(process.execPath, args, { cwd: folder, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  })
  const record = JSON.parse(readFileSync(/record (\S+\.json)/.exec(stdout)![1]!, "utf8")) as { stages: Array<{ name: string; status: string; dir: string }> }
  if (record.stages.some((s) => s.status !== "ran")) throw new Error(`ganflow: not every stage ran:\n${stdout}`)
  const byName = new Map(record.stages.map((s) => [s.name, s.dir]))
  return { seconds, outputs: Array.from({ length: stages }, (_, i) => readFileSync(join(byName.get(`s${i}`)!, "out.txt"), "utf8")) }
}

const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
try {
  const sides: Record<string, Array<number>> = { snakemake: [], "ganflow-client": [], ganflow: [] }
  for (let r = 0; r < repeats; r++) {
    const peer = await runSnakemake()
    const client = await runGanflowClient()
    if (JSON.stringify(peer.outputs) !== JSON.stringify(client.outputs)) throw new Error("snakemake and ganflow-client outputs differ")
    sides["snakemake"]!.push(peer.seconds)
    sides["ganflow-client"]!.push(client.seconds)
    const ganflow = await runGanflow()
    if (JSON.stringify(peer.outputs) !== JSON.stringify(ganflow.outputs)) throw new Error("snakemake and ganflow outputs differ")
    sides["ganflow"]!.push(ganflow.seconds)
  }
  const peer = median(sides["snakemake"]!)
  console.log(`${stages} stages x 1 s of work as Slurm jobs on the local one-node cluster (2 CPUs), median of ${repeats}:`)
  for (const [side, seconds] of Object.entries(sides)) {
    const wall = median(seconds)
    console.log(`  ${side.padEnd(15)} ${wall.toFixed(2)} s  [${seconds.map((x) => x.toFixed(2)).join(" ")}]  ${(wall / peer).toFixed(2)}x snakemake`)
  }
  console.log("  target: ganflow/snakemake <= 1.0x")
} finally {
  rmSync(work, { recursive: true, force: true })
  if (!wasUp) spawnSync(clusterScript, ["stop"])
}
