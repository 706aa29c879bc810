import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import { Effect, Either } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildInceptionV3 } from "../src/extractors/inception-v3-architecture.ts"
import { loadInceptionV3Extractor } from "../src/extractors/inception-v3-extractor.ts"
import { prepareImages } from "../src/extractors/prepare-images.ts"
import { randomCnnExtractor } from "../src/extractors/random-cnn.ts"
import { gatherFeatures, tensorBatches } from "../src/features/gather-features.ts"
import { registerFileSystemModelRouters } from "@ganflow/models"
import { metricsBetween } from "../src/evaluation/metrics-between.ts"
import { decodeFeatureStats, encodeFeatureStats } from "../src/stats/feature-stats-file.ts"

const dir = mkdtempSync(join(tmpdir(), "ganflow-metrics-"))
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("prepareImages (the one resize path)", () => {
  it("matches torch F.interpolate(bilinear, align_corners=False) and maps [0,1] to [-1,1]", () => {
    // torch.arange(12).reshape(1,1,3,4) resized to 5x7, from PyTorch 1.13:
    const torchValues = [0.0, 0.3571428954601288, 0.9285714626312256, 1.5000001192092896, 2.0714287757873535, 2.642857313156128, 3.0,
      1.6000001430511475, 1.957142949104309, 2.528571605682373, 3.1000001430511475, 3.671428918838501, 4.242857456207275, 4.600000381469727,
      4.0, 4.357142925262451, 4.928571701049805, 5.5, 6.071429252624512, 6.642857551574707, 7.000000476837158,
      6.40000057220459, 6.757143020629883, 7.328571796417236, 7.90000057220459, 8.471428871154785, 9.042858123779297, 9.40000057220459,
      8.0, 8.357142448425293, 8.928571701049805, 9.5, 10.071429252624512, 10.642857551574707, 11.0]
    const image = tf.tensor4d(Array.from({ length: 12 }, (_, i) => i), [1, 3, 4, 1])
    const target = { name: "t", inputSize: [5, 7, 1] as const, inputRange: "[0,1]" as const }
    const resized = prepareImages(image, target, "[0,1]")
    const values = resized.dataSync()
    torchValues.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5))
    const mapped = prepareImages(tf.fill([1, 2, 2, 1], 0.25) as tf.Tensor4D, { ...target, inputSize: [2, 2, 3], inputRange: "[-1,1]" }, "[0,1]")
    expect(mapped.shape).toEqual([1, 2, 2, 3])
    expect([...mapped.dataSync()].every((v) => v === -0.5)).toBe(true)
    const wrong = Effect.runSync(Effect.either(Effect.try({ try: () => prepareImages(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, target, "[0,1]"), catch: (e) => e })))
    expect(Either.isLeft(wrong) && String(wrong.left)).toMatch(/2 channels, the extractor takes 1/)
    tf.dispose([image, resized, mapped])
  })
})

describe("Inception-v3 loader", () => {
  it("loads a randomly initialised Inception-v3 saved with model.save('file://…') and extracts pool3 + logits", async () => {
    registerFileSystemModelRouters()
    const model = buildInceptionV3({ inputSize: 75, seed: 1 })
    const location = join(dir, "inception")
    await model.save(pathToFileURL(location).href)
    const extractor = await Effect.runPromise(loadInceptionV3Extractor(location))
    expect(extractor.name).toBe("inception-v3")
    expect(extractor.inputSize).toEqual([75, 75, 3])
    expect(extractor.featureSize).toBe(2048)
    expect(extractor.classCount).toBe(1000)
    const images = tf.randomUniform([2, 75, 75, 3], -1, 1, "float32", 3) as tf.Tensor4D
    const warm = extractor.extract(images)
    tf.dispose([warm.features, warm.logits!, model.predict(images) as tf.Tensor])
    const before = tf.memory().numTensors
    const { features, logits } = extractor.extract(images)
    expect(features.shape).toEqual([2, 2048])
    expect(logits!.shape).toEqual([2, 1000])
    // softmax of our logits is the saved model's own `predictions` output
    const reference = model.predict(images) as tf.Tensor
    const probabilities = tf.softmax(logits!)
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(probabilities, reference))))
    expect(diff.dataSync()[0]).toBeLessThan(1e-5)
    tf.dispose([features, logits!, reference, probabilities, diff])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose(images)
    extractor.dispose()
    model.dispose()
    const missing = await Effect.runPromise(Effect.either(loadInceptionV3Extractor(join(dir, "nothing-here"))))
    expect(Either.isLeft(missing) && missing.left._tag).toBe("ExtractorModelInvalid")
    expect(Either.isLeft(missing) && missing.left.message).toMatch(/nothing-here/)
  }, 60_000)
})

describe("random CNN extractor and FeatureStats files", () => {
  it("is seeded, named, streams batches without leaking, and its stats round-trip a file", async () => {
    const a = randomCnnExtractor([16, 16, 3], 0)
    const b = randomCnnExtractor([16, 16, 3], 0)
    expect(a.name).toBe("random-cnn-seed0")
    expect(a.description).toMatch(/untrained/)
    const images = tf.randomUniform([40, 8, 8, 1], -1, 1, "float32", 5) as tf.Tensor4D
    const fa = a.extract(prepareImages(images, a, "[-1,1]"))
    const fb = b.extract(prepareImages(images, b, "[-1,1]"))
    expect(fa.features.shape).toEqual([40, 128])
    expect(fa.logits).toBeNull()
    expect([...fa.features.dataSync()]).toEqual([...fb.features.dataSync()])
    tf.dispose([fa.features, fb.features])
    const gather = () => Effect.runPromise(gatherFeatures(a, tensorBatches(images, 7), { sourceRange: "[-1,1]", source: "noise", sampleCap: 25 }))
    await gather()
    const before = tf.memory().numTensors
    const stats = await gather()
    expect(tf.memory().numTensors).toBe(before)
    expect(stats.count).toBe(40)
    expect(stats.samples!.rows).toBe(25)
    expect(stats.extractor).toBe("random-cnn-seed0")
    const file = join(dir, "stats.gfstats")
    const bytes = encodeFeatureStats(stats)
    const back = Effect.runSync(decodeFeatureStats(bytes, file))
    expect(back.count).toBe(40)
    expect([...back.covariance]).toEqual([...stats.covariance])
    expect([...back.samples!.data]).toEqual([...stats.samples!.data])
    const values = Effect.runSync(metricsBetween(stats, back, { metrics: ["fid", "kid", "prdc"], kid: { subsets: 2 } }))
    expect(Math.abs(values["fid@random-cnn-seed0"]!)).toBeLessThan(1e-9)
    expect(Object.keys(values)).toContain("coverage@random-cnn-seed0")
    const broken = Effect.runSync(Effect.either(decodeFeatureStats(bytes.subarray(0, bytes.length - 4), file)))
    expect(Either.isLeft(broken) && broken.left.message).toMatch(/stats\.gfstats.*bytes, the header implies/)
    const otherExtractor = Effect.runSync(Effect.either(metricsBetween(stats, { ...back, extractor: "mnist-lenet" }, { metrics: ["fid"] })))
    expect(Either.isLeft(otherExtractor) && otherExtractor.left._tag).toBe("ExtractorMismatch")
    images.dispose()
    a.dispose()
    b.dispose()
  })
})
