import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ageGroupOf, ageGroups } from "../src/age-groups.ts"
import { MatFieldInvalid, MatFileInvalid } from "../src/errors.ts"
import { ageByTheBook, birthFromMatlabDate, readImdbWikiMetadata } from "../src/imdb-wiki-metadata.ts"

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name)

describe("the book's age formula", () => {
  it("MATLAB serial dates -> proleptic Gregorian birth dates (datenum - 366 = Python ordinal)", () => {
    // datenum(1970, 1, 1) = 719529 in MATLAB; minus 366 = 719163 = date(1970, 1, 1).toordinal()
    expect(birthFromMatlabDate(719_529)).toEqual({ year: 1970, month: 1 })
    // 723671 - 366 = 723305 = 1981-05-05; the time of day (fraction) is dropped
    expect(birthFromMatlabDate(723_671.99)).toEqual({ year: 1981, month: 5 })
    // before year 1 the book clamps to ordinal 1 = 0001-01-01
    expect(birthFromMatlabDate(1)).toEqual({ year: 1, month: 1 })
    expect(birthFromMatlabDate(Number.NaN)).toBeUndefined()
    // 1600 is a leap year in the proleptic Gregorian calendar: datenum(1600, 3, 1) = 584449
    expect(birthFromMatlabDate(584_449)).toEqual({ year: 1600, month: 3 })
    expect(birthFromMatlabDate(584_448)).toEqual({ year: 1600, month: 2 })
  })

  it("subtracts one more year when born in the second half of the year", () => {
    expect(ageByTheBook(2009, 723_671)).toBe(28) // born 1981-05-05: 2009 - 1981
    expect(ageByTheBook(2015, 721_198)).toBe(40) // born 1974-07-28: 2015 - 1974 - 1
    expect(ageByTheBook(2000, Number.NaN)).toBeUndefined()
  })

  it("buckets ages into Age-cGAN's six groups", () => {
    expect(ageGroups).toEqual(["0-18", "19-29", "30-39", "40-49", "50-59", "60+"])
    const cases: Array<[number, number | undefined]> = [[0, 0], [18, 0], [19, 1], [29, 1], [30, 2], [39, 2], [40, 3], [49, 3], [50, 4], [59, 4], [60, 5], [99, 5], [-1, undefined], [2.5, undefined]]
    for (const [age, group] of cases) expect(ageGroupOf(age), `age ${age}`).toBe(group)
  })
})

describe("readImdbWikiMetadata on a SciPy-written wiki.mat-style file", () => {
  for (const file of ["wiki_small.mat", "wiki_small_z.mat"]) {
    it(`${file}: ages and groups by the book's formula, faces filtered`, () => {
      const meta = readImdbWikiMetadata(fixture(file))
      expect(meta.dataset).toBe("wiki")
      expect(meta.total).toBe(10)
      // rows worked by hand (birth date from dob - 366, then photo_taken - year - [month >= 7]):
      //  0: 1981-05-05, 2009 -> 28 -> 19-29     1: second face -> dropped      2: 1959-05-29, 2012 -> 53 -> 50-59 (gender NaN kept)
      //  3: face_score -Inf -> dropped          4: 1992-01-01, 2014 -> 22      5: -Inf -> dropped
      //  6: 1974-07-28, 2015 -> 40 (July: -1)   7: face_score 0.77 < 1 -> dropped
      //  8: 2002-03-01, 2016 -> 14 -> 0-18      9: 1977-01-28, 2008 -> 31 -> 30-39
      expect(meta.records.map((r) => [r.index, r.age, r.group])).toEqual([[0, 28, 1], [2, 53, 4], [4, 22, 1], [6, 40, 3], [8, 14, 0], [9, 31, 2]])
      expect(meta.dropped).toEqual({ noFace: 2, lowFaceScore: 1, secondFace: 1, badAge: 0 })
      expect(meta.records[0]!.fullPath).toBe("17/10000217_1981-05-05_2009.jpg")
      expect(meta.records[1]!.name).toBe("Marc Okrand")
      expect(Number.isNaN(meta.records[1]!.gender)).toBe(true)
      expect(meta.records.find((r) => r.index === 4)!.name).toBe("李小龍")
    })
  }

  it("minFaceScore is a filter option; a second face is dropped whatever the score", () => {
    const meta = readImdbWikiMetadata(fixture("wiki_small.mat"), { minFaceScore: 0, maxAge: 50 })
    expect(meta.dropped).toEqual({ noFace: 2, lowFaceScore: 0, secondFace: 2, badAge: 1 })
    expect(meta.records.map((r) => r.index)).toEqual([0, 4, 6, 8, 9])
  })

  it("a missing or mistyped field and a truncated file name the file and the field", () => {
    const fail = (file: string) => {
      try {
        readImdbWikiMetadata(fixture(file))
      } catch (e) {
        expect((e as Error).message).toContain(file)
        return e as Error
      }
      throw new Error("expected a failure")
    }
    const missing = fail("wiki_missing_dob.mat")
    expect(missing).toBeInstanceOf(MatFieldInvalid)
    expect(missing.message).toContain("field 'wiki.dob': missing")
    const numeric = fail("wiki_numeric_paths.mat")
    expect(numeric.message).toContain("field 'wiki.full_path': expected a cell array of strings, found a double array of size 1x10")
    // a file whose only struct is not IMDB-WIKI's: that struct is read and its missing field named
    expect(fail("multi_class.mat").message).toContain("field 'st.dob': missing (fields: a)")
    expect(fail("v4.mat").message).toContain("not supported")
  })

  it("a truncated wiki.mat fails with MatFileInvalid naming the variable and field", async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import("node:fs")
    const { tmpdir } = await import("node:os")
    const p = join(mkdtempSync(join(tmpdir(), "ganflow-wiki-")), "wiki.mat")
    writeFileSync(p, readFileSync(fixture("wiki_small_z.mat")).subarray(0, 700))
    let error: unknown
    try {
      readImdbWikiMetadata(p)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MatFileInvalid)
    expect((error as Error).message).toContain(p)
    expect((error as Error).message).toMatch(/variable 'wiki', field '\w+'/)
  })
})
