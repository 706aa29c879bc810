/**
 * Stage `voxel-metrics`: IoU-based numbers for every generator a training stage left (each checkpoint, then the
 * final one) against the training shapes — see `voxel-set-metrics.ts` for what each number means and what it does
 * not (these are not FID: there is no agreed 3D feature extractor here; they catch empty, blobby, collapsed or
 * copied outputs). `metrics.json` holds one row per generator; every value is also a run metric at its step.
 * It reads the training output and the dataset only, so changing its params reruns it alone.
 */
import type { TrainGanResult } from "@ganflow/trainers/stages"
import { startedBackend } from "@ganflow/backend"
import { defineStage, upstream, trySync, tryAsync, StageEvents } from "@ganflow/core"
import { datasetItemSize, isDataError } from "@ganflow/data"
import { readUpstreamDataset, type DatasetStageValue } from "@ganflow/data/stages"
import { type } from "arktype"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { generateVolumes, generatorsOf } from "./generator-volumes.ts"
import { meanOccupancy, meanPairwiseIou, packShapes, voxelSetMetrics, type VoxelSetMetrics } from "./voxel-set-metrics.ts"

/** Params of {@link voxelMetrics}. */
export const voxelMetricsParams = type({
  "+": "reject",
  /** Generated shapes per generator. */
  samples: "number.integer >= 2 = 64",
  /** Training shapes compared against (evenly spaced through the dataset), 0 for all. */
  reference: "number.integer >= 0 = 256",
  /** Occupancy above which a generated voxel is solid (the seed's 0.5). */
  threshold: "0 < number < 1 = 0.5",
  /** Latent seed (the same batch for every generator). */
  seed: "number.integer >= 0 = 1",
  /** Latents per generator forward pass. */
  batchSize: "number.integer >= 1 = 8",
})

/** One row of `metrics.json`. */
export interface VoxelMetricsRow {
  readonly [key: string]: unknown
  readonly generator: string
  readonly step: number
  readonly values: VoxelSetMetrics
}

/** IoU metrics of every checkpoint's generator against the training shapes. */
export const voxelMetrics = defineStage({
  name: "voxel-metrics",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 1,
  description: "nearest-training-shape IoU, coverage, pairwise IoU and occupancy of generated voxel shapes, per checkpoint",
  params: voxelMetricsParams,
  inputs: { training: upstream<TrainGanResult>(), dataset: upstream<DatasetStageValue>() },
  outputs: ["metrics.json"],
  run: (ctx) =>
    Effect.gen(function* () {
      const events = yield* StageEvents
      const { params, inputs } = ctx
      events.env({ backend: yield* startedBackend })
      const ds = yield* trySync(() => readUpstreamDataset(inputs.dataset), isDataError)
      const n = ds.shape[0] ?? 0
      const item = datasetItemSize(ds)
      const take = params.reference === 0 ? n : Math.min(params.reference, n)
      const chosen = new Uint8Array(take * item)
      for (let k = 0; k < take; k++) {
        const i = Math.floor((k * n) / take)
        chosen.set(ds.data.subarray(i * item, (i + 1) * item), k * item)
      }
      const real = packShapes(chosen, take, item, 0.5)
      const realPairwiseIou = meanPairwiseIou(real)
      const realOccupancy = meanOccupancy(real)
      events.metric("real_pairwise_iou", realPairwiseIou)
      events.metric("real_occupancy", realOccupancy)
      const { checkpoints, final } = generatorsOf(inputs.training)
      const generators = [...checkpoints, final]
      const rows: VoxelMetricsRow[] = []
      for (const [i, generator] of generators.entries()) {
        events.progress({ step: i, total: generators.length, message: generator.id })
        const volumes = yield* tryAsync(
          () => generateVolumes(generator.dir, { count: params.samples, seed: params.seed, batchSize: params.batchSize }),
          isDataError,
        )
        if (volumes.size ** 3 !== item) {
          return yield* Effect.fail(new RangeError(`voxel-metrics: ${generator.id} draws ${volumes.size}^3 grids, the dataset holds [${ds.shape.slice(1).join(", ")}]`))
        }
        const values = voxelSetMetrics(packShapes(volumes.values, volumes.count, item, params.threshold), real)
        for (const [name, value] of Object.entries(values)) events.metric(name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value, generator.step)
        events.log(`${generator.id} (step ${generator.step}): ${Object.entries(values).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(" ")}`)
        rows.push({ generator: generator.id, step: generator.step, values })
      }
      writeFileSync(join(ctx.outDir, "metrics.json"), JSON.stringify({ reference: { shapes: take, pairwiseIou: realPairwiseIou, occupancy: realOccupancy }, generators: rows }, null, 1))
      return { reference: take, realPairwiseIou, realOccupancy, last: rows.at(-1)!.values }
    }),
})
