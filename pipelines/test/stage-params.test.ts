/**
 * Params of every stage of every pipeline: an unknown key is rejected at every depth of the params (the top level,
 * each nested object, the model's options), naming its full path; and every profile is valid params.
 */
import { describe, expect, it } from "vitest"
import { Either } from "effect"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { trainGan } from "@ganflow/trainers/stages"
import { assignment, findWorkspaceRoot, type Json, type ParamOverride, type PipelineDefinition, planPipeline } from "@ganflow/core"

const root = findWorkspaceRoot()
const pipelines: PipelineDefinition[] = await Promise.all(
  readdirSync(join(root, "pipelines/src"))
    .filter((f) => f.endsWith(".ts"))
    .map(async (f) => ((await import(join(root, "pipelines/src", f))) as { default: PipelineDefinition }).default),
)

/** The paths of every object inside `value` (the root too), e.g. `[]`, `["model"]`, `["model", "options"]`. */
const objectPaths = (value: Json, path: string[] = []): string[][] =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))]
    : []

const problemsOf = (definition: PipelineDefinition, options: { overrides?: ParamOverride[]; profile?: string }) => {
  const planned = planPipeline(definition, { root, ...options })
  return Either.isLeft(planned) ? planned.left.problems : []
}

describe("stage params", () => {
  it("every pipeline loads and plans with its own params", () => {
    expect(pipelines.map((p) => p.name).sort()).toEqual(["3dgan-chairs", "age-cgan-faces", "cgan-digits", "cyclegan-faces", "dcgan-anime", "demo", "pix2pix-faces", "srgan-faces", "stackgan-faces", "text2image-faces", "vanilla-gan-mnist", "wgan-gp-anime"])
    for (const p of pipelines) expect(problemsOf(p, {}), p.name).toEqual([])
  })

  it("reject an unknown key at every depth, in every stage of every pipeline", () => {
    let depth2 = 0
    for (const p of pipelines) {
      const planned = planPipeline(p, { root })
      if (Either.isLeft(planned)) throw planned.left
      for (const stage of planned.right.stages) {
        for (const path of objectPaths(stage.params)) {
          const key = [stage.name, ...path, "zzUnknown"].join(".")
          const override = assignment(key, 1)
          if (typeof override === "string") throw new Error(override)
          expect(problemsOf(p, { overrides: [override] }), `${p.name}: --set ${key}=1`).toEqual([`${[stage.name, "params", ...path, "zzUnknown"].join(".")}: unknown key (not in the stage's params)`])
          if (path.length >= 2) depth2++
        }
      }
    }
    expect(depth2).toBeGreaterThan(0) // e.g. train.model.options
  })

  it("model options are typed per architecture in pipeline files too", () => {
    // @ts-expect-error a DCGAN has no 48 px form: the compiler says so in a pipeline file, the plan on the command line
    const at48 = trainGan.as("train", { params: { model: { architecture: "dcgan", options: { resolution: 48 } } } })
    // @ts-expect-error `hidden` is the MLP GAN's option, not DCGAN's
    const hidden = trainGan.as("train", { params: { model: { architecture: "dcgan", options: { hidden: 16 } } } })
    const ok = trainGan.as("train", { params: { model: { architecture: "vanilla", options: { hidden: 16 } }, steps: 1 } })
    expect([at48, hidden, ok].map((s) => s.name)).toEqual(["train", "train", "train"])
  })

  it("every profile of every pipeline is valid params", () => {
    for (const p of pipelines) for (const profile of Object.keys(p.profiles)) expect(problemsOf(p, { profile }), `${p.name} --profile ${profile}`).toEqual([])
  })
})
