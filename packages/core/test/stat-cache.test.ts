import { afterEach, describe, expect, it } from "vitest"
import { rmSync, utimesSync, writeFileSync } from "node:fs"
import { digestFolder, sha256, StatCache } from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

describe("StatCache", () => {
  let cleanup = () => {}
  afterEach(() => cleanup())

  it("saved and loaded, reads only files whose stat changed; forgotten and deleted files leave the cache", () => {
    const ws = makeWorkspace()
    cleanup = ws.cleanup
    const cacheFile = ws.path("cache.json")
    for (let i = 0; i < 30; i++) ws.write(`data/${i % 3}/f${i}.txt`, `file ${i}\n`)
    ws.write("data/odd name\twith tab.txt", "x")
    const first = StatCache.load(cacheFile)
    const d0 = digestFolder(ws.path("data"), first)
    expect(first.hashedFiles).toBe(31)
    first.save()

    const again = StatCache.load(cacheFile)
    expect(digestFolder(ws.path("data"), again)).toEqual(d0)
    expect(again.hashedFiles).toBe(0)

    writeFileSync(ws.path("data/1/f4.txt"), "changed\n")
    const future = new Date(Date.now() + 5000)
    utimesSync(ws.path("data/2/f5.txt"), future, future) // touched, same content
    rmSync(ws.path("data/0/f0.txt"))
    const third = StatCache.load(cacheFile)
    const d1 = digestFolder(ws.path("data"), third)
    expect(third.hashedFiles).toBe(2)
    expect(d1.listing.find(([p]) => p === "1/f4.txt")![1]).toBe(sha256("changed\n"))
    expect(d1.listing).toHaveLength(30)
    third.forget(ws.path("data/2/f8.txt"))
    third.save()

    const fourth = StatCache.load(cacheFile)
    expect(digestFolder(ws.path("data"), fourth)).toEqual(d1)
    expect(fourth.hashedFiles).toBe(1) // the forgotten one
  })

  it("a corrupt or older cache file is an empty cache", () => {
    const ws = makeWorkspace()
    cleanup = ws.cleanup
    ws.write("data/a.txt", "a")
    for (const content of ["{not json", JSON.stringify({ v: 2, d: { [ws.path("data") + "/"]: { "a.txt": [1, 0, 0, "0".repeat(64)] } } })]) {
      writeFileSync(ws.path("cache.json"), content)
      const cache = StatCache.load(ws.path("cache.json"))
      expect(digestFolder(ws.path("data"), cache).listing[0]![1]).toBe(sha256("a"))
      expect(cache.hashedFiles).toBe(1)
    }
  })
})
