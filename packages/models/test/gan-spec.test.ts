import { type } from "arktype"
import { describe, expect, it } from "vitest"
import { GanSpec, ganArchitectures, ganSpecs } from "../src/index.ts"

const problems = (input: unknown): string[] => {
  const out = GanSpec(input)
  return out instanceof type.errors ? [...out].map((e) => e.message) : []
}

describe("GanSpec", () => {
  it("names every architecture buildGan builds, one schema each", () => {
    expect(ganArchitectures).toEqual(["vanilla", "keras-mnist", "dcgan", "gan3d", "conditional", "conditional-dcgan"])
    for (const architecture of ganArchitectures) {
      expect(problems({ architecture }), architecture).toEqual([])
      expect(ganSpecs[architecture]({ architecture })).toEqual({ architecture })
    }
  })

  it("accepts the pipelines' specs", () => {
    expect(problems({ architecture: "dcgan", options: { resolution: 32, ngf: 32, ndf: 32 }, critic: "wgan-layer-norm" })).toEqual([])
    expect(problems({ architecture: "conditional", options: { numClasses: 10, hidden: [128, 256, 512], auxiliaryClassifier: true } })).toEqual([])
    expect(problems({ architecture: "gan3d", options: { resolution: 32, width: 16 } })).toEqual([])
    expect(problems({ architecture: "vanilla", options: { imageShape: [28, 28, 1], minibatchDiscrimination: { numKernels: 5, kernelDim: 3 } } })).toEqual([])
  })

  it("rejects impossible values, options of another architecture and unknown keys at every depth", () => {
    expect(problems({ architecture: "dcgan", options: { resolution: 48 } })).toEqual(["options.resolution must be 28, 32 or 64 (was 48)"])
    expect(problems({ architecture: "conditional-dcgan", options: { resolution: 28 } })).toEqual(["options.resolution must be 32 or 64 (was 28)"])
    expect(problems({ architecture: "dcgan", options: { hidden: 16 } })).toEqual(["options.hidden must be removed"])
    expect(problems({ architecture: "gan3d", critic: "wgan" })).toEqual(["critic must be removed"])
    expect(problems({ architecture: "vanilla", options: { minibatchDiscrimination: { numKernels: 5, kernelDim: 3, width: 2 } } })).toEqual([
      "options.minibatchDiscrimination.width must be removed",
    ])
    expect(problems({ architecture: "conditional", options: { hidden: [] } })).toEqual(["options.hidden must be non-empty"])
    expect(problems({ architecture: "vanilla", options: { imageShape: [28, 0] } })[0]).toMatch(/^options\.imageShape\[1\] must be positive/)
    expect(problems({ architecture: "dcgan", options: { ngf: 2.5 } })).toEqual(["options.ngf must be an integer (was 2.5)"])
  })
})
