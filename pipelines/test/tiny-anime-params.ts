/** dcgan-anime's params for tests, as `stage.param` values (a `--params` file holds the same). */
import type { Json } from "@ganflow/core"

/** Small enough for CI: 64 built-in faces at 32x32, a width-8 DCGAN-32, 4 steps with a checkpoint every 2. */
export const tinyAnimeParams: Readonly<Record<string, Json>> = {
  "data.synthetic": { kind: "anime-faces", count: 64 },
  "reference.sampleCap": 64,
  "train.model": { architecture: "dcgan", options: { resolution: 32, ngf: 8, ndf: 8 } },
  "train.steps": 4,
  "train.batchSize": 8,
  "train.checkpointEvery": 2,
  "fid.samples": 32,
  "fid.sampleCap": 32,
  "fid.batchSize": 16,
  "fid.kidSubsetSize": 16,
  "fid.kidSubsets": 5,
  "samples.count": 4,
  "samples.interpolationRows": 1,
  "samples.interpolationSteps": 3,
  "demo.sampleCount": 4,
}
