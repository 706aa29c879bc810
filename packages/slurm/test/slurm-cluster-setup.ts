/**
 * Vitest global setup: starts the one-node cluster of tools/slurm-cluster (as root, through sudo when the tests
 * run as another user) and hands its SLURM_CONF and a scratch folder to the tests; stops it after, unless it was
 * already running, and removes the scratch folder.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** The local cluster's slurm.conf. */
    slurmConf: string
    /** A folder for the tests' job logs, removed after the run. */
    scratchRoot: string
  }
}

const script = fileURLToPath(new URL("../../../tools/slurm-cluster", import.meta.url))

const clusterCommand = (action: "start" | "stop" | "status") => {
  const asRoot = process.getuid?.() === 0
  const [command, args] = asRoot ? [script, [action]] : ["sudo", ["-n", script, action]]
  return spawnSync(command, args, { encoding: "utf8", timeout: 120_000 })
}

export default function setup(project: TestProject) {
  const wasUp = clusterCommand("status").status === 0
  const started = clusterCommand("start")
  const slurmConf = /export SLURM_CONF=(\S+)/.exec(started.stdout ?? "")?.[1]
  if (started.status !== 0 || slurmConf === undefined) {
    throw new Error(`tools/slurm-cluster start failed (exit ${started.status}):\n${started.stderr}${started.stdout}`)
  }
  project.provide("slurmConf", slurmConf)
  const scratchRoot = mkdtempSync(join(tmpdir(), "ganflow-slurm-tests-"))
  project.provide("scratchRoot", scratchRoot)
  return () => {
    rmSync(scratchRoot, { recursive: true, force: true })
    if (!wasUp) clusterCommand("stop")
  }
}
