/**
 * Benchmark (issue 2): a no-op rerun of a generated 50-stage pipeline through the `ganflow` CLI, process start
 * included, vs Snakemake doing the same no-op on an equivalent 50-rule Snakefile, measured in one run; and a
 * re-hash of the 19,992 anime faces with a warm stat cache (loaded from disk, as a new process would).
 *
 *   npx tsx bench/engine-noop.ts [repeats=7]
 *
 * Targets (issue 20): ganflow/snakemake <= 0.3 and ganflow < 1 s; re-hash < 0.1 s.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { digestFolder, StatCache } from "@ganflow/core"

const repo = resolve(fileURLToPath(import.meta.url), "../..")
const shared = process.env["GANFLOW_SHARED"] ?? resolve(repo, "../shared")
const repeats = Number(process.argv[2] ?? 7)
const stages = 50
const work = join(repo, "bench", ".work", "engine-noop")
rmSync(work, { recursive: true, force: true })
mkdirSync(join(work, "ganflow", "pipelines", "src"), { recursive: true })
mkdirSync(join(work, "ganflow", "data"), { recursive: true })
mkdirSync(join(work, "snakemake", "data"), { recursive: true })

// The same DAG on both sides: stage i reads data/in<i>.txt and the output of stage i-1 (and i-2), writes out<i>.txt.
for (let i = 0; i < stages; i++) {
  writeFileSync(join(work, "ganflow", "data", `in${i}.txt`), `input ${i}\n`)
  writeFileSync(join(work, "snakemake", "data", `in${i}.txt`), `input ${i}\n`)
}
writeFileSync(join(work, "ganflow", "package.json"), JSON.stringify({ name: "bench-ws", private: true, type: "module", workspaces: [] }))
writeFileSync(
  join(work, "ganflow", "pipelines", "src", "bench50.ts"),
  `import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, file, fileInput, pipeline, upstream } from "@ganflow/core"
const step = defineStage({
  name: "step",
  params: type({ i: "number.integer" }),
  inputs: { src: fileInput(), a: upstream({ optional: true }), b: upstream({ optional: true }) },
  run: ({ inputs, params, outDir }) => Effect.sync(() => {
    let text = readFileSync(inputs.src.path, "utf8")
    if (inputs.a) text += readFileSync(inputs.a.path("out.txt"), "utf8").length
    if (inputs.b) text += readFileSync(inputs.b.path("out.txt"), "utf8").length
    writeFileSync(join(outDir, "out.txt"), text + params.i)
    return null
  }),
})
const stages: ReturnType<typeof step.as>[] = []
for (let i = 0; i < ${stages}; i++) {
  stages.push(step.as("s" + i, {
    params: { i },
    inputs: { src: file("data/in" + i + ".txt"), a: stages[i - 1] ?? null, b: stages[i - 2] ?? null },
  }))
}
export default pipeline({ name: "bench50", stages })
`,
)
const rules = Array.from({ length: stages }, (_, i) => {
  const ins = [`"data/in${i}.txt"`, ...(i > 0 ? [`"out/s${i - 1}.txt"`] : []), ...(i > 1 ? [`"out/s${i - 2}.txt"`] : [])]
  // like the ganflow stage: the input file's text, then the sizes of the upstream outputs (not their text, which would grow exponentially)
  return `rule s${i}:\n    input: ${ins.join(", ")}\n    output: "out/s${i}.txt"\n    shell: "cat {input[0]} > {output}; for f in {input}; do wc -c < $f >> {output}; done; echo ${i} >> {output}"\n`
})
writeFileSync(join(work, "snakemake", "Snakefile"), `rule all:\n    input: "out/s${stages - 1}.txt"\n\n${rules.join("\n")}`)

const ganflowBin = join(repo, "packages", "cli", "bin", "ganflow.mjs")
const runGanflow = () => execFileSync(process.execPath, [ganflowBin, "run", "bench50"], { cwd: join(work, "ganflow"), encoding: "utf8" })
const runSnakemake = () => execFileSync("snakemake", ["-c1", "--quiet"], { cwd: join(work, "snakemake"), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

const time = (f: () => unknown) => {
  const t0 = performance.now()
  f()
  return (performance.now() - t0) / 1000
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(`first runs (populate): ganflow ${time(runGanflow).toFixed(2)} s, snakemake ${time(runSnakemake).toFixed(2)} s`)
const check = runGanflow()
if ((check.match(/ cached/g) ?? []).length !== stages) throw new Error(`ganflow rerun was not a no-op:\n${check}`)
const g: number[] = []
const s: number[] = []
for (let r = 0; r < repeats; r++) {
  g.push(time(runGanflow))
  s.push(time(runSnakemake))
}
const gm = median(g)
const sm = median(s)
console.log(`no-op rerun of ${stages} stages (median of ${repeats}, process start included):`)
console.log(`  ganflow   ${gm.toFixed(3)} s   [${g.map((x) => x.toFixed(2)).join(" ")}]`)
console.log(`  snakemake ${sm.toFixed(3)} s   [${s.map((x) => x.toFixed(2)).join(" ")}]`)
console.log(`  ratio ganflow/snakemake = ${(gm / sm).toFixed(2)}x (target <= 0.3x), ganflow ${gm < 1 ? "<" : ">="} 1 s`)

const faces = join(shared, "datasets", "anime-faces-64")
if (!existsSync(faces)) throw new Error(`${faces} not found (set GANFLOW_SHARED)`)
const cacheFile = join(work, "stat-cache.json")
const cold = StatCache.load(cacheFile)
const tCold = time(() => digestFolder(faces, cold))
cold.save()
const warmTimes: number[] = []
const cpu0 = process.cpuUsage()
let files = 0
let hashed = 0
for (let r = 0; r < repeats; r++) {
  warmTimes.push(
    time(() => {
      const warm = StatCache.load(cacheFile)
      files = digestFolder(faces, warm).listing.length
      hashed = warm.hashedFiles
    }),
  )
}
const cpu = process.cpuUsage(cpu0)
console.log(`re-hash of ${files} unchanged files: cold ${tCold.toFixed(2)} s; with the stat cache (loaded from disk) median ${median(warmTimes).toFixed(3)} s wall, ${((cpu.user + cpu.system) / 1e6 / repeats).toFixed(3)} s CPU; files read: ${hashed} (target < 0.1 s)`)
rmSync(work, { recursive: true, force: true })
