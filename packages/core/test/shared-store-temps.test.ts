/**
 * A store shared by several machines (Slurm nodes on a shared filesystem): a run prunes the temp folders of dead
 * processes of its own host only, never a live run's on another host, whose pid it cannot check.
 */
import { afterEach, beforeEach, expect, it } from "vitest"
import { existsSync, mkdirSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { openLocalStore } from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
})
afterEach(() => ws.cleanup())

it("prunes dead temps of this host (and of the old unnamed format) but keeps those of other hosts", () => {
  const store = openLocalStore(join(ws.root, ".ganflow"))
  const live = store.objects.makeTemp("train")
  expect(live).toContain(`-${process.pid}@${hostname()}-`)
  const deadPid = 2 ** 22 + 17 // above Linux's pid_max default: never a live process
  const tmp = join(store.root, "tmp")
  const deadHere = join(tmp, `train-${deadPid}@${hostname()}-0a1b2c3d`)
  const deadOld = join(tmp, `train-${deadPid}-0a1b2c3d`)
  const elsewhere = join(tmp, `train-${deadPid}@some-other-node-0a1b2c3d`)
  for (const dir of [deadHere, deadOld, elsewhere]) mkdirSync(dir)
  expect(store.objects.pruneDeadTemps()).toBe(2)
  expect([live, deadHere, deadOld, elsewhere].map(existsSync)).toEqual([true, false, false, true])
})
