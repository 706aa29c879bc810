/** sbatch's command line for a job spec, and the schemas that validate resources and placement. */
import { type } from "arktype"
import { describe, expect, it } from "vitest"
import { JobResources, SlurmPlacement, sbatchArguments } from "../src/index.ts"

describe("sbatch arguments", () => {
  it("passes every resource and placement option, never lets Slurm requeue by itself", () => {
    const args = sbatchArguments({
      name: "ganflow:dcgan-anime:train",
      script: "#!/bin/bash\ntrue\n",
      logPath: "/shared/logs/train-%j.log",
      workDir: "/shared/project",
      resources: { cpus: 8, memory: "32G", gpus: 2, time: "4:00:00" },
      placement: { partition: "gpu", account: "gan-lab", qos: "high" },
    })
    expect(args).toEqual([
      "--parsable",
      "--no-requeue",
      "--job-name=ganflow:dcgan-anime:train",
      "--output=/shared/logs/train-%j.log",
      "--chdir=/shared/project",
      "--cpus-per-task=8",
      "--mem=32G",
      "--gres=gpu:2",
      "--time=4:00:00",
      "--partition=gpu",
      "--account=gan-lab",
      "--qos=high",
    ])
  })

  it("asks no GPU gres for a stage that needs none", () => {
    const args = sbatchArguments({ name: "x", script: "", logPath: "/l", resources: { gpus: 0 } })
    expect(args.some((arg) => arg.startsWith("--gres"))).toBe(false)
  })

  it("validates resources in Slurm's notations and rejects unknown keys' types", () => {
    expect(JobResources({ cpus: 2, memory: "500M", gpus: 1, time: "2-00:00:00" })).toEqual({
      cpus: 2,
      memory: "500M",
      gpus: 1,
      time: "2-00:00:00",
    })
    expect(JobResources({ memory: "lots" })).toBeInstanceOf(type.errors)
    expect(JobResources({ time: "one hour" })).toBeInstanceOf(type.errors)
    expect(JobResources({ cpus: 0 })).toBeInstanceOf(type.errors)
    expect(SlurmPlacement({ partition: "" })).toBeInstanceOf(type.errors)
  })
})
