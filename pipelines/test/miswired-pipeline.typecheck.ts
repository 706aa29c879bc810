/**
 * Wiring is checked by the compiler: every binding below is wrong, and each `@ts-expect-error` must find its error —
 * if a wrong wiring were accepted, tsc would report the unused directive and `npm run typecheck` fails. Nothing here
 * runs; the file exists for the typecheck target.
 */
import { pipeline } from "@ganflow/core"
import { imageSource } from "@ganflow/data/stages"
import { checkpointMetrics, referenceStats } from "@ganflow/metrics/stages"
import { trainGan } from "@ganflow/trainers/stages"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"

const data = imageSource.as("data", { params: { size: 32 } })
const reference = referenceStats.as("reference", { inputs: { dataset: data } })
const train = trainGan.as("train", { inputs: { dataset: data } })

// @ts-expect-error a dataset stage's value is not a training stage's (no generator description)
const samplesOfData = renderSamples.as("samples", { inputs: { training: data } })
// @ts-expect-error reference statistics are not a dataset
const trainOnReference = trainGan.as("train-on-reference", { inputs: { dataset: reference } })
// @ts-expect-error upstreams are handles, not stage names
const curvesByName = renderCurves.as("curves", { inputs: { training: "train" } })
// @ts-expect-error the metrics slot takes checkpoint metrics, not a training stage
const curvesOfTraining = renderCurves.as("curves-of-training", { inputs: { training: train, metrics: train } })
// @ts-expect-error a slot the stage does not have
const fidWithTypo = checkpointMetrics.as("fid", { inputs: { reference, training: train, heldOutt: data } })

export default pipeline({
  name: "miswired",
  stages: [data, reference, train, samplesOfData, trainOnReference, curvesByName, curvesOfTraining, fidWithTypo],
})
