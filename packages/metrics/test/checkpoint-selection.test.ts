import { describe, expect, it } from "vitest"
import { CheckpointSelectionInvalid, selectCheckpoint } from "../src/index.ts"

const rows = [
  { checkpoint: "step-000002", step: 2, values: { "fid@random-cnn-seed0": 30, "is@inception": 1.5 } },
  { checkpoint: "step-000004", step: 4, values: { "fid@random-cnn-seed0": 12, "is@inception": 2.5 } },
  { checkpoint: "step-000006", step: 6, values: { "fid@random-cnn-seed0": 12, "is@inception": 2.1 } },
  { checkpoint: "step-000008", step: 8, values: { "fid@random-cnn-seed0": 19, "is@inception": 2.6 } },
]

describe("checkpoint selection", () => {
  it("min fid, max is, last; ties go to the earliest checkpoint", () => {
    expect(selectCheckpoint("min fid", rows)).toEqual({ checkpoint: "step-000004", step: 4, metric: "fid@random-cnn-seed0", value: 12 })
    expect(selectCheckpoint("max is", rows)).toEqual({ checkpoint: "step-000008", step: 8, metric: "is@inception", value: 2.6 })
    expect(selectCheckpoint("max is@inception", rows)).toMatchObject({ step: 8 })
    expect(selectCheckpoint("last", rows)).toEqual({ checkpoint: "step-000008", step: 8, metric: null, value: null })
  })

  it("names what is wrong: an unknown or ambiguous metric, no checkpoints", () => {
    expect((selectCheckpoint("min kid", rows) as CheckpointSelectionInvalid).message).toBe('checkpoint selection "min kid": no metric kid among the checkpoint metrics (fid@random-cnn-seed0, is@inception)')
    const two = rows.map((r) => ({ ...r, values: { ...r.values, "fid@inception": 1 } }))
    expect((selectCheckpoint("min fid", two) as CheckpointSelectionInvalid).reason).toBe("fid is ambiguous: name one of fid@random-cnn-seed0, fid@inception")
    expect(selectCheckpoint("min fid@inception", two)).toMatchObject({ step: 2 })
    expect(selectCheckpoint("last", [])).toBeInstanceOf(CheckpointSelectionInvalid)
  })
})
