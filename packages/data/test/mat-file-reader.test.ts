import { readFileSync, writeFileSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { deflateSync } from "node:zlib"
import { describe, expect, it } from "vitest"
import { MatFileInvalid, MatFileUnsupportedVersion } from "../src/errors.ts"
import { parseMat, readMat, readMatValue, readMatVariable } from "../src/mat-file-reader.ts"
import type { MatValue } from "../src/mat-value.ts"
import { sharedDataPath } from "../src/shared-data-location.ts"

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name)

describe("readMat on the shared SciPy fixtures", () => {
  const expected = readFileSync(sharedDataPath("fixtures", "mat", "chair_instance_u8_C.raw"))
  for (const [file, cls] of [["chair_uint8.mat", "uint8"], ["chair_uint8_z.mat", "uint8"], ["chair_double.mat", "double"]] as const) {
    it(`${file} matches scipy.io.loadmat byte for byte`, () => {
      const v = readMatVariable(sharedDataPath("fixtures", "mat", file), "instance")
      expect(v.class).toBe(cls)
      expect(v.shape).toEqual([30, 30, 30])
      const asBytes = Uint8Array.from(v.data as ArrayLike<number>)
      expect(Buffer.from(asBytes).equals(expected)).toBe(true)
      // not symmetric: a transposed read would differ
      expect(Buffer.from(asBytes).equals(Buffer.from(transpose3(expected, 30)))).toBe(false)
    })
  }
})

const transpose3 = (a: Uint8Array, n: number): Uint8Array => {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[k * n * n + j * n + i] = a[i * n * n + j * n + k] as number
  return out
}

describe("readMat on every numeric class (fixtures written by scipy.io.savemat, see test/fixtures/README.md)", () => {
  const exp = JSON.parse(readFileSync(fixture("multi_class.expected.json"), "utf8")) as {
    variables: Record<string, { dtype: string; shape: number[]; values?: Array<number | string | boolean>; real?: number[]; imag?: number[] }>
  }
  const dtypeToClass: Record<string, string> = {
    float64: "double", float32: "single", int8: "int8", uint8: "uint8", int16: "int16", uint16: "uint16",
    int32: "int32", uint32: "uint32", int64: "int64", uint64: "uint64", bool: "logical", complex128: "double",
  }
  for (const file of ["multi_class.mat", "multi_class_z.mat"]) {
    it(`${file}: all variables, classes, shapes and values as loadmat`, () => {
      const mat = readMat(fixture(file))
      expect([...mat.variables.keys()].sort()).toEqual(Object.keys(exp.variables).sort())
      expect(mat.skipped).toEqual([])
      // char and struct variables are decoded into `values`, numeric ones are in both maps
      expect(mat.values.get("text")).toEqual({ kind: "char", shape: [1, 5], strings: ["hello"] })
      expect(mat.values.get("st")?.kind).toBe("struct")
      expect(mat.values.get("d")).toEqual({ kind: "numeric", ...Object.fromEntries(Object.entries(mat.variables.get("d")!).filter(([k]) => k !== "name")) })
      for (const [name, e] of Object.entries(exp.variables)) {
        const v = mat.variables.get(name)!
        // scipy.io.loadmat returns MATLAB logicals as uint8 0/1; we keep the values and say "logical"
        expect(v.class, name).toBe(name === "b" ? "logical" : dtypeToClass[e.dtype])
        expect(v.shape, name).toEqual(e.shape)
        if (e.real) {
          expect(Array.from(v.data as Float64Array), name).toEqual(e.real)
          expect(Array.from(v.imag as Float64Array), name).toEqual(e.imag)
        } else {
          const got = Array.from(v.data as ArrayLike<number | bigint>, (x) =>
            typeof x === "bigint" ? x.toString() : e.dtype === "bool" ? x === 1 : x)
          expect(got, name).toEqual(e.values)
        }
      }
    })
  }
})

/** Builds a MATLAB v5 file by hand, to cover what savemat never writes. */
const buildMat = (opts: { bigEndian?: boolean; elements: Uint8Array[] }): Uint8Array => {
  const le = !opts.bigEndian
  const header = new Uint8Array(128).fill(0x20)
  header.set(new TextEncoder().encode("MATLAB 5.0 MAT-file, hand-built test"))
  const hv = new DataView(header.buffer)
  hv.setUint16(124, 0x0100, le)
  header[126] = le ? 0x49 : 0x4d
  header[127] = le ? 0x4d : 0x49
  return concat([header, ...opts.elements])
}
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
const element = (type: number, body: Uint8Array, le: boolean): Uint8Array => {
  const padded = Math.ceil(body.length / 8) * 8
  const out = new Uint8Array(8 + padded)
  const v = new DataView(out.buffer)
  v.setUint32(0, type, le)
  v.setUint32(4, body.length, le)
  out.set(body, 8)
  return out
}
const smallElement = (type: number, body: Uint8Array, le: boolean): Uint8Array => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setUint32(0, (body.length << 16) | type, le)
  out.set(body, 4)
  return out
}
const matrix = (o: { cls: number; dims: number[]; name: string; storeType: number; storeBytes: Uint8Array; le: boolean; logical?: boolean }): Uint8Array => {
  const flags = new Uint8Array(8)
  new DataView(flags.buffer).setUint32(0, o.cls | (o.logical ? 0x200 : 0), o.le)
  const dims = new Uint8Array(o.dims.length * 4)
  o.dims.forEach((d, i) => new DataView(dims.buffer).setInt32(i * 4, d, o.le))
  const name = new TextEncoder().encode(o.name)
  const body = concat([
    element(6, flags, o.le),
    element(5, dims, o.le),
    name.length <= 4 ? smallElement(1, name, o.le) : element(1, name, o.le),
    o.storeBytes.length <= 4 ? smallElement(o.storeType, o.storeBytes, o.le) : element(o.storeType, o.storeBytes, o.le),
  ])
  return element(14, body, o.le)
}

describe("readMat on hand-built files", () => {
  it("reads big-endian int16 data, column-major -> row-major", () => {
    // 2x3 int16 matrix [[1,2,3],[4,5,6]] stored column-major: 1 4 2 5 3 6
    const store = new Uint8Array(12)
    ;[1, 4, 2, 5, 3, -6].forEach((x, i) => new DataView(store.buffer).setInt16(i * 2, x, false))
    const bytes = buildMat({ bigEndian: true, elements: [matrix({ cls: 10, dims: [2, 3], name: "m", storeType: 3, storeBytes: store, le: false })] })
    const v = parseMat(bytes, "be.mat").variables.get("m")!
    expect(v.class).toBe("int16")
    expect(v.shape).toEqual([2, 3])
    expect(Array.from(v.data as Int16Array)).toEqual([1, 2, 3, 4, 5, -6])
  })

  it("reads a double array stored as miUINT8 (MATLAB's compact storage) and a small-element logical", () => {
    const le = true
    const dbl = matrix({ cls: 6, dims: [1, 5], name: "longername", storeType: 2, storeBytes: Uint8Array.from([0, 1, 2, 200, 255]), le })
    const logical = matrix({ cls: 9, dims: [2, 2], name: "L", storeType: 2, storeBytes: Uint8Array.from([1, 0, 0, 1]), le, logical: true })
    const compressedLogical = (() => {
      const z = deflateSync(logical)
      const out = new Uint8Array(8 + z.length)
      new DataView(out.buffer).setUint32(0, 15, true)
      new DataView(out.buffer).setUint32(4, z.length, true)
      out.set(z, 8)
      return out
    })()
    const mat = parseMat(buildMat({ elements: [dbl, compressedLogical] }), "hand.mat")
    const d = mat.variables.get("longername")!
    expect(d.class).toBe("double")
    expect(d.data).toBeInstanceOf(Float64Array)
    expect(Array.from(d.data as Float64Array)).toEqual([0, 1, 2, 200, 255])
    const l = mat.variables.get("L")!
    expect(l.class).toBe("logical")
    expect(Array.from(l.data as Uint8Array)).toEqual([1, 0, 0, 1])
  })
})

describe("readMat failures name the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-mat-"))
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name)
    writeFileSync(p, bytes)
    return p
  }
  const expectError = (fn: () => unknown, tag: string, file: string) => {
    try {
      fn()
    } catch (e) {
      expect((e as { _tag: string })._tag).toBe(tag)
      expect((e as Error).message).toContain(file)
      return e
    }
    throw new Error("expected a failure")
  }

  it("the logical variable is flagged logical and holds 0/1 like loadmat's uint8", () => {
    const b = readMat(fixture("multi_class.mat")).variables.get("b")!
    expect(b.class).toBe("logical")
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1, 0, 0, 1])
  })

  it("v7.3 (HDF5) -> MatFileUnsupportedVersion", () => {
    const h = new Uint8Array(1024)
    h.set(new TextEncoder().encode("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon"))
    new DataView(h.buffer).setUint16(124, 0x0200, true)
    h[126] = 0x49
    h[127] = 0x4d
    h.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512)
    const p = write("v73.mat", h)
    const e = expectError(() => readMat(p), "MatFileUnsupportedVersion", p)
    expect(e).toBeInstanceOf(MatFileUnsupportedVersion)
    expect((e as MatFileUnsupportedVersion).version).toBe("7.3")
  })

  it("v4 (scipy savemat format='4') -> MatFileUnsupportedVersion", () => {
    const e = expectError(() => readMat(fixture("v4.mat")), "MatFileUnsupportedVersion", "v4.mat")
    expect((e as MatFileUnsupportedVersion).version).toBe("4")
  })

  it("garbage, empty and truncated files -> MatFileInvalid", () => {
    const garbage = write("garbage.mat", new TextEncoder().encode("this is not a mat file at all ".repeat(10)))
    expect(expectError(() => readMat(garbage), "MatFileInvalid", garbage)).toBeInstanceOf(MatFileInvalid)
    const empty = write("empty.mat", new Uint8Array(0))
    expectError(() => readMat(empty), "MatFileInvalid", empty)
    const full = readFileSync(sharedDataPath("fixtures", "mat", "chair_uint8.mat"))
    const cut = write("cut.mat", full.subarray(0, full.length - 100))
    expectError(() => readMat(cut), "MatFileInvalid", cut)
    const fullZ = readFileSync(sharedDataPath("fixtures", "mat", "chair_uint8_z.mat"))
    const corrupt = Uint8Array.from(fullZ)
    for (let i = 140; i < 200; i++) corrupt[i] = 0xaa
    const bad = write("corrupt_z.mat", corrupt)
    expectError(() => readMat(bad), "MatFileInvalid", bad)
    expectError(() => readMat(join(dir, "missing.mat")), "MatFileInvalid", "missing.mat")
  })

  it("asking for an absent variable names the file and lists what exists", () => {
    const p = sharedDataPath("fixtures", "mat", "chair_uint8.mat")
    const e = expectError(() => readMatVariable(p, "voxels"), "MatFileInvalid", p)
    expect((e as Error).message).toContain("instance")
  })
})

/** loadmat's output as make_mat_container_fixtures.py writes it to JSON. */
type LoadmatJson =
  | { numeric: string; shape: number[]; values: Array<number | string | boolean> }
  | { char: number[]; strings: string[] }
  | { cell: number[]; items: LoadmatJson[] }
  | { struct: number[]; fields: string[]; items: Array<Record<string, LoadmatJson>> }

const numpyDtype: Record<string, string> = {
  double: "float64", single: "float32", int8: "int8", uint8: "uint8", int16: "int16", uint16: "uint16",
  int32: "int32", uint32: "uint32", int64: "int64", uint64: "uint64", logical: "uint8",
}
/** Our decoded value in the same JSON form (loadmat drops a char array's last axis: its rows are the strings). */
const asLoadmatJson = (v: MatValue): LoadmatJson => {
  switch (v.kind) {
    case "numeric":
      return {
        numeric: numpyDtype[v.class]!,
        shape: [...v.shape],
        values: Array.from(v.data as ArrayLike<number>, (x) => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x)),
      }
    case "char":
      return { char: v.shape.slice(0, -1), strings: [...v.strings] }
    case "cell":
      return { cell: [...v.shape], items: v.cells.map(asLoadmatJson) }
    case "struct":
      return { struct: [...v.shape], fields: [...v.fields], items: v.elements.map((e) => Object.fromEntries([...e].map(([k, x]) => [k, asLoadmatJson(x)]))) }
    case "undecoded":
      throw new Error(`undecoded ${v.class}`)
  }
}

describe("struct, cell and char arrays match scipy.io.loadmat (fixtures by make_mat_container_fixtures.py)", () => {
  for (const stem of ["wiki_small", "containers"]) {
    const expected = JSON.parse(readFileSync(fixture(`${stem}.expected.json`), "utf8")) as { variables: Record<string, LoadmatJson> }
    for (const file of [`${stem}.mat`, `${stem}_z.mat`]) {
      it(`${file}: every variable as loadmat returns it`, () => {
        const mat = readMat(fixture(file))
        expect([...mat.values.keys()].sort()).toEqual(Object.keys(expected.variables).sort())
        for (const [name, want] of Object.entries(expected.variables)) expect(asLoadmatJson(mat.values.get(name)!), name).toEqual(want)
      })
    }
  }

  it("wiki.mat-style struct: non-ASCII names, NaN gender, -Inf face score, cell of 1x4 face boxes", () => {
    const wiki = readMatValue(fixture("wiki_small_z.mat"), "wiki")
    if (wiki.kind !== "struct") throw new Error("not a struct")
    expect(wiki.shape).toEqual([1, 1])
    expect(wiki.fields).toEqual(["dob", "photo_taken", "full_path", "gender", "name", "face_location", "face_score", "second_face_score"])
    const f = wiki.elements[0]!
    const names = f.get("name")!
    expect(names.kind === "cell" && names.cells.map((c) => (c.kind === "char" ? c.strings[0] ?? "" : "?"))).toEqual([
      "Sami Jauhojärvi", "Dettmar Cramer", "Marc Okrand", "Zoë Saldaña", "李小龍", "Björk Guðmundsdóttir", "", "Łukasz Żal", "Œdipe Ärger", "Plain Name",
    ])
    const score = f.get("face_score")!
    expect(score.kind === "numeric" && score.data[3]).toBe(-Infinity)
    const gender = f.get("gender")!
    expect(gender.kind === "numeric" && Number.isNaN(gender.data[2] as number)).toBe(true)
  })

  it("MATLAB's own UTF-16 char storage (miUINT16, miUTF16) and a 2x2 char matrix, column-major", () => {
    const le = true
    const utf16 = (text: string) => {
      const out = new Uint8Array(text.length * 2)
      for (let i = 0; i < text.length; i++) new DataView(out.buffer).setUint16(i * 2, text.charCodeAt(i), le)
      return out
    }
    const name = "Zoë 李 😀"
    const a = matrix({ cls: 4, dims: [1, name.length], name: "who", storeType: 4, storeBytes: utf16(name), le })
    const b = matrix({ cls: 4, dims: [2, 2], name: "grid", storeType: 17, storeBytes: utf16("acbd"), le }) // rows "ab", "cd"
    const mat = parseMat(buildMat({ elements: [a, b] }), "utf16.mat")
    expect(mat.values.get("who")).toEqual({ kind: "char", shape: [1, name.length], strings: [name] })
    expect(mat.values.get("grid")).toEqual({ kind: "char", shape: [2, 2], strings: ["ab", "cd"] })
  })
})

describe("bad or truncated struct/cell/char files name the file, the variable and the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-matc-"))
  const failureOf = (bytes: Uint8Array, name: string): MatFileInvalid => {
    const p = join(dir, name)
    writeFileSync(p, bytes)
    try {
      readMat(p)
    } catch (e) {
      expect(e).toBeInstanceOf(MatFileInvalid)
      expect((e as Error).message).toContain(p)
      return e as MatFileInvalid
    }
    throw new Error("expected a failure")
  }

  it("an uncompressed wiki.mat cut inside full_path says so", () => {
    const full = readFileSync(fixture("wiki_small.mat"))
    // cut in the middle of the file: after dob and photo_taken, inside the cell array of paths
    const message = failureOf(full.subarray(0, 800), "cut_wiki.mat").message
    expect(message).toContain("truncated")
    expect(message).toContain("variable 'wiki'")
    expect(message).toContain("field 'full_path'")
    expect(message).toMatch(/cell \d+ of 10/)
  })

  it("a compressed wiki.mat cut short names the field where the inflated data ends", () => {
    const full = readFileSync(fixture("wiki_small_z.mat"))
    const message = failureOf(full.subarray(0, Math.floor(full.length * 0.6)), "cut_wiki_z.mat").message
    expect(message).toContain("truncated")
    expect(message).toContain("variable 'wiki'")
    expect(message).toMatch(/field '\w+'/)
  })

  it("a char array whose data disagrees with its size, and invalid UTF-8", () => {
    const le = true
    const short = matrix({ cls: 4, dims: [1, 6], name: "label", storeType: 16, storeBytes: new TextEncoder().encode("abc"), le })
    expect(failureOf(buildMat({ elements: [short] }), "short_char.mat").message).toMatch(/variable 'label': char array of size 1x6 holds 3 characters/)
    const bad = matrix({ cls: 4, dims: [1, 2], name: "label", storeType: 16, storeBytes: Uint8Array.from([0xc3, 0x28]), le })
    expect(failureOf(buildMat({ elements: [bad] }), "bad_utf8.mat").message).toContain("not valid UTF-8")
  })
})
