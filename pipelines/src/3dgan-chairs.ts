/**
 * 3dgan-chairs — the 3D-GAN of Wu et al. 2016 on voxel chairs: shapes (built-in furniture, or a folder of
 * ShapeNet `.binvox` / 3D ShapeNets `.mat` files) -> pad/zoom to 32^3 -> adversarial training of the volumetric
 * generator -> shaded isometric renders and IoU metrics of every checkpoint.
 *
 *   nx run pipelines:3dgan-chairs                                                        # built-in chairs, ~2-4 min on 2 cores
 *   nx run pipelines:3dgan-chairs --set data.dir=../shared/datasets/shapenet-chairs-binvox  # ShapeNet chairs (binvox)
 *   nx run pipelines:3dgan-chairs --profile full                                         # 64^3 and the paper's settings (GPU-sized)
 *   nx run pipelines:3dgan-chairs --watch      # then edit render.* or metrics.* params: only those stages rerun
 *
 * Known issue (trainer, to be fixed there): `train-gan` scales every dataset with `normalizeUint8(…, "sigmoid")`,
 * i.e. x / 255, so 0/1 voxel occupancies reach gan3d as 0 / 0.0039; the generator then learns near-empty grids,
 * which `metrics` shows as occupancy -> 0. Voxel datasets need the "raw" range.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { trainGan } from "@ganflow/trainers/stages/index"
import { renderVoxelsStage } from "../stages/voxels/render-voxels-stage.ts"
import { voxelFit } from "../stages/voxels/voxel-fit-stage.ts"
import { voxelMetrics } from "../stages/voxels/voxel-metrics-stage.ts"
import { voxelSource } from "../stages/voxels/voxel-source-stage.ts"

export default pipeline({
  name: "3dgan-chairs",
  description: "3D-GAN (Wu et al. 2016) on voxel chairs: binvox/.mat folder or built-in furniture -> 32^3 -> train -> renders",
  stages: [
    voxelSource.as("data", { inputs: { shapes: folderFromDir } }),
    voxelFit.as("prep", { params: { size: 32 }, inputs: { voxels: "data" } }),
    trainGan.as("train", {
      params: {
        model: { architecture: "gan3d", options: { resolution: 32, width: 16 } },
        // sized for ~2-4 min on 2 cores; a batch of 12 also fits the 15 chairs of ../shared/datasets/shapenet-chairs-binvox
        steps: 200,
        batchSize: 12,
        generatorLearningRate: 0.001,
        discriminatorLearningRate: 0.0001,
        adam: { beta1: 0.5 },
        checkpointEvery: 50,
      },
      inputs: { dataset: "prep" },
    }),
    renderVoxelsStage.as("render", { inputs: { training: "train", dataset: "prep" } }),
    voxelMetrics.as("metrics", { inputs: { training: "train", dataset: "prep" } }),
  ],
  profiles: {
    // The paper's setup: 64^3, width 64 (G 512-256-128-64), batch 100, G lr 0.0025, D lr 1e-5, Adam beta1 0.5.
    // Its other trick — update D only while its batch accuracy is <= 80% — is not in the trainer.
    full: {
      "data.size": 64,
      "data.count": 1000,
      "prep.size": 64,
      "train.model.options.resolution": 64,
      "train.model.options.width": 64,
      "train.batchSize": 100,
      "train.steps": 20000,
      "train.generatorLearningRate": 0.0025,
      "train.discriminatorLearningRate": 0.00001,
      "train.adam.beta1": 0.5,
      "train.checkpointEvery": 1000,
      "render.voxelSize": 2,
      "metrics.reference": 500,
    },
  },
})
