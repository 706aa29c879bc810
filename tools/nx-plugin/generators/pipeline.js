// @ts-check
/**
 * `nx g @ganflow/nx-plugin:pipeline <name>`: write `pipelines/src/<name>.ts` (a two-stage pipeline to edit)
 * and `pipelines/test/<name>.test.ts` (runs it on a temporary store and checks the rerun is all cached).
 */

/**
 * Normalise and validate options: the name becomes the file name and the Nx target.
 * @param {{ name: string, description?: string }} options
 */
const normaliseOptions = (options) => {
  const name = String(options.name ?? "").trim()
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`pipeline name "${name}" must be lower-case letters, digits and dashes, starting with a letter`)
  return { name, description: options.description ?? "A new ganflow pipeline" }
}

/** @param {string} name */
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase())

/**
 * @param {import("@nx/devkit").Tree} tree
 * @param {{ name: string, description?: string }} rawOptions
 */
const pipelineGenerator = async (tree, rawOptions) => {
  const { name, description } = normaliseOptions(rawOptions)
  const file = `pipelines/src/${name}.ts`
  if (tree.exists(file)) throw new Error(`${file} already exists`)
  const id = camel(name)
  tree.write(
    file,
    `/**
 * ${name} — ${description}.
 * Run it with \`nx run pipelines:${name}\`; change a param with \`--set generate.count=20\`.
 */
import { Effect } from "effect"
import { type } from "arktype"
import { writeFileSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, pipeline, StageEvents, upstream } from "@ganflow/core"

/** First stage: writes numbers.json. Replace with your own. */
export const ${id}Generate = defineStage({
  name: "${name}-generate",
  params: type({ count: "number.integer >= 1 = 10" }),
  outputs: ["numbers.json"],
  run: ({ params, outDir }) =>
    Effect.sync(() => {
      const numbers = Array.from({ length: params.count }, (_, i) => i * i)
      writeFileSync(join(outDir, "numbers.json"), JSON.stringify(numbers))
      return { count: numbers.length }
    }),
})

/** Second stage: reads the first stage's output and records a metric. */
export const ${id}Summarise = defineStage({
  name: "${name}-summarise",
  params: type({}),
  inputs: { numbers: upstream<{ count: number }>() },
  run: ({ inputs }) =>
    Effect.flatMap(StageEvents, ({ metric }) => Effect.sync(() => {
      const numbers = JSON.parse(readFileSync(inputs.numbers.path("numbers.json"), "utf8")) as number[]
      const sum = numbers.reduce((a, b) => a + b, 0)
      metric("sum", sum)
      return { sum }
    })),
})

const generate = ${id}Generate.as("generate")

export default pipeline({
  name: "${name}",
  description: "${description.replace(/"/g, '\\"')}",
  stages: [generate, ${id}Summarise.as("summarise", { inputs: { numbers: generate } })],
})
`,
  )
  tree.write(
    `pipelines/test/${name}.test.ts`,
    `import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { collectingReporter, findWorkspaceRoot, runPipeline } from "@ganflow/core"
import ${id} from "../src/${name}.ts"

describe("${name} pipeline", () => {
  it("runs on a tiny config and is fully cached on a rerun", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-${name}-"))
    try {
      const options = { root: findWorkspaceRoot(), storeDir, set: ["generate.count=3"] }
      const first = await Effect.runPromise(runPipeline(${id}, { ...options, reporter: collectingReporter() }))
      expect(first.stages.map((s) => s.status)).toEqual(["ran", "ran"])
      const second = await Effect.runPromise(runPipeline(${id}, options))
      expect(second.stages.map((s) => s.status)).toEqual(["cached", "cached"])
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  })
})
`,
  )
  return () => {}
}

module.exports = pipelineGenerator
module.exports.default = pipelineGenerator
module.exports.normaliseOptions = normaliseOptions
