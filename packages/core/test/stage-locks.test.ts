import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { LocalStageLocks, staleAfterMs } from "../src/store/stage-locks.ts"

const roots: string[] = []
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })))
const store = () => {
  const root = mkdtempSync(join(tmpdir(), "ganflow-locks-"))
  roots.push(root)
  mkdirSync(join(root, "locks"))
  return root
}
/** A lock file as another host's process writes it, last refreshed `ageMs` ago. */
const foreignLock = (root: string, key: string, ageMs: number) => {
  const path = join(root, "locks", `${key}.lock`)
  writeFileSync(path, JSON.stringify({ pid: 4242, host: "another-node", since: Date.now() - ageMs, keys: [key] }))
  const t = new Date(Date.now() - ageMs)
  utimesSync(path, t, t)
}

describe("stage locks on a store shared between hosts", () => {
  it("a lock another host refreshed recently is live: it is not taken, and gc/verify see it", () => {
    const root = store()
    foreignLock(root, "k1", 1_000)
    const locks = new LocalStageLocks(root)
    expect(locks.tryLock("k1")).toEqual({ heldBy: 4242 })
    expect(locks.liveLocks().map((l) => [l.host, l.keys])).toEqual([["another-node", ["k1"]]])
  })

  it("a lock another host stopped refreshing is stale: it is taken over", () => {
    const root = store()
    foreignLock(root, "k2", staleAfterMs + 5_000)
    const locks = new LocalStageLocks(root)
    expect(locks.liveLocks()).toEqual([])
    const taken = locks.tryLock("k2")
    expect("release" in taken).toBe(true)
    expect(locks.liveLocks().map((l) => l.pid)).toEqual([process.pid])
    if ("release" in taken) taken.release()
    expect(locks.liveLocks()).toEqual([])
  })

  it("on this host a holder is alive while its pid is", () => {
    const root = store()
    const locks = new LocalStageLocks(root)
    const first = locks.tryLock("k3")
    expect("release" in first).toBe(true)
    expect(locks.tryLock("k3")).toEqual({ heldBy: process.pid })
    if ("release" in first) first.release()
    writeFileSync(join(root, "locks", "k4.lock"), JSON.stringify({ pid: 2 ** 22 + 7, since: 0, keys: ["k4"] }))
    expect("release" in locks.tryLock("k4")).toBe(true)
  })
})
