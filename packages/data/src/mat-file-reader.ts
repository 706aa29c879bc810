/**
 * Reader for MATLAB v5 `.mat` files (what `scipy.io.savemat` writes and what
 * MATLAB writes with `save -v6/-v7`), e.g. the 3D ShapeNets voxel files with a
 * 30x30x30 uint8 variable `instance`, or IMDB-WIKI's `wiki.mat` metadata struct.
 *
 * Numeric and logical arrays are returned in row-major (C) order with MATLAB's
 * shape, exactly as `np.ascontiguousarray(scipy.io.loadmat(f)[name])` gives
 * them; char, cell and struct arrays (and objects) as loadmat's defaults give
 * them (see mat-value.ts), nested to any depth. Compressed (`miCOMPRESSED`,
 * zlib) and plain elements, the small-data-element format, several variables
 * per file, both byte orders, and UTF-8 (SciPy), UTF-16 (MATLAB) and UTF-32
 * char data are supported. Sparse arrays, function handles and opaque objects
 * are not decoded: top-level ones are listed in `skipped`. A bad or truncated
 * file fails with MatFileInvalid naming the file and the variable, field and
 * cell where decoding stopped.
 */
import { readFileSync } from "node:fs"
import { constants as zlibConstants, inflateSync } from "node:zlib"
import { MatFileInvalid, MatFileUnsupportedVersion } from "./errors.ts"
import type { MatCharArray, MatData, MatNumericArray, MatNumericClass, MatValue } from "./mat-value.ts"

export type { MatData, MatNumericClass, MatValue } from "./mat-value.ts"

/** One numeric or logical variable, row-major. */
export interface MatVariable extends MatNumericArray {
  readonly name: string
}

/** Everything read from one file. */
export interface MatFile {
  readonly file: string
  /** The 116-byte descriptive text of the header, trimmed. */
  readonly headerText: string
  /** Decoded numeric and logical variables by name, in file order. */
  readonly variables: ReadonlyMap<string, MatVariable>
  /** Every decoded variable (numeric, logical, char, cell, struct, object) by name, in file order. */
  readonly values: ReadonlyMap<string, MatValue>
  /** Variables present but not decoded (sparse, function handles, opaque). */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly class: string }>
}

const MI = {
  INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9,
  INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18,
} as const

const MI_SIZE: Record<number, number> = {
  1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4,
}

const CLASS_NAMES: Record<number, string> = {
  1: "cell", 2: "struct", 3: "object", 4: "char", 5: "sparse", 6: "double", 7: "single",
  8: "int8", 9: "uint8", 10: "int16", 11: "uint16", 12: "int32", 13: "uint32",
  14: "int64", 15: "uint64", 16: "function", 17: "opaque",
}

const allocate = (cls: MatNumericClass, n: number): MatData => {
  switch (cls) {
    case "double": return new Float64Array(n)
    case "single": return new Float32Array(n)
    case "int8": return new Int8Array(n)
    case "uint8": case "logical": return new Uint8Array(n)
    case "int16": return new Int16Array(n)
    case "uint16": return new Uint16Array(n)
    case "int32": return new Int32Array(n)
    case "uint32": return new Uint32Array(n)
    case "int64": return new BigInt64Array(n)
    case "uint64": return new BigUint64Array(n)
  }
}

/** A cursor over a byte range with the file's byte order; `where` names the variable/field/cell being decoded. */
class ByteReader {
  readonly view: DataView
  constructor(readonly bytes: Uint8Array, readonly littleEndian: boolean, readonly file: string, readonly where: string = "") {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  /** A reader over `bytes` (a sub-range) decoding the array at `where`. */
  at(bytes: Uint8Array, where: string): ByteReader {
    return new ByteReader(bytes, this.littleEndian, this.file, where)
  }
  u32(at: number): number {
    if (at + 4 > this.bytes.length) throw this.fail(`element tag at byte ${at} runs past the end (truncated file?)`)
    return this.view.getUint32(at, this.littleEndian)
  }
  fail(reason: string): MatFileInvalid {
    return new MatFileInvalid({ file: this.file, reason: this.where ? `${this.where}: ${reason}` : reason })
  }
}

interface Element {
  readonly type: number
  /** Payload bytes (exact length, without padding; shorter than declared when `truncated`). */
  readonly body: Uint8Array
  /** Offset of the next element in the parent range. */
  readonly next: number
  /** Set (with `partial`) when the element claims more bytes than the range holds. */
  readonly truncated?: boolean
}

/**
 * Reads one data element (normal or small format) starting at `at`. An element running past `end` fails, unless
 * `partial` is set: then what is there comes back with `truncated`, so the caller can say where decoding stops.
 */
const readElement = (r: ByteReader, at: number, end: number, partial = false): Element => {
  const first = r.u32(at)
  const smallBytes = first >>> 16
  if (smallBytes !== 0) {
    const type = first & 0xffff
    if (smallBytes > 4) throw r.fail(`small data element at byte ${at} claims ${smallBytes} bytes (max 4)`)
    if (at + 8 > end) throw r.fail(`small data element at byte ${at} runs past the end (truncated file?)`)
    return { type, body: r.bytes.subarray(at + 4, at + 4 + smallBytes), next: at + 8 }
  }
  const type = first
  const nbytes = r.u32(at + 4)
  const start = at + 8
  if (start + nbytes > end) {
    if (partial) return { type, body: r.bytes.subarray(start, end), next: end, truncated: true }
    throw r.fail(`data element of type ${type} at byte ${at} needs ${nbytes} bytes, only ${end - start} left (truncated file?)`)
  }
  const padded = type === MI.COMPRESSED ? nbytes : Math.ceil(nbytes / 8) * 8
  return { type, body: r.bytes.subarray(start, start + nbytes), next: Math.min(start + padded, end) }
}

/** Decodes a numeric payload stored as MATLAB data type `type` into `out` (column-major order kept). */
const decodeNumeric = (r: ByteReader, type: number, body: Uint8Array, out: MatData, what: string): void => {
  const size = MI_SIZE[type]
  if (size === undefined || type === MI.UTF8 || type === MI.UTF16 || type === MI.UTF32) {
    throw r.fail(`${what}: unsupported storage type ${type}`)
  }
  const n = out.length
  if (body.length !== n * size) {
    throw r.fail(`${what}: expected ${n} values of ${size} bytes, found ${body.length} bytes${body.length < n * size ? " (truncated file?)" : ""}`)
  }
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const le = r.littleEndian
  const isBig = out instanceof BigInt64Array || out instanceof BigUint64Array
  if (type === MI.INT64 || type === MI.UINT64) {
    for (let i = 0; i < n; i++) {
      const b = type === MI.INT64 ? v.getBigInt64(i * 8, le) : v.getBigUint64(i * 8, le)
      if (isBig) (out as BigInt64Array)[i] = out instanceof BigUint64Array ? BigInt.asUintN(64, b) : BigInt.asIntN(64, b)
      else (out as Float64Array)[i] = Number(b)
    }
    return
  }
  // Fast path: same element type, little-endian, aligned -> one typed-array copy.
  const read = ((): ((i: number) => number) => {
    switch (type) {
      case MI.INT8: return (i) => v.getInt8(i)
      case MI.UINT8: return (i) => body[i] as number
      case MI.INT16: return (i) => v.getInt16(i * 2, le)
      case MI.UINT16: return (i) => v.getUint16(i * 2, le)
      case MI.INT32: return (i) => v.getInt32(i * 4, le)
      case MI.UINT32: return (i) => v.getUint32(i * 4, le)
      case MI.SINGLE: return (i) => v.getFloat32(i * 4, le)
      default: return (i) => v.getFloat64(i * 8, le)
    }
  })()
  if (isBig) {
    const big = out as BigInt64Array
    for (let i = 0; i < n; i++) big[i] = BigInt(Math.trunc(read(i)))
    return
  }
  const num = out as Float64Array
  if (type === MI.UINT8) {
    num.set(body)
    return
  }
  for (let i = 0; i < n; i++) num[i] = read(i)
}

/** Column-major (MATLAB) to row-major (C) reordering for any rank. */
export const columnMajorToRowMajor = <T extends MatData>(src: T, shape: ReadonlyArray<number>): T => {
  const rank = shape.length
  const n = src.length
  const out = new (src.constructor as new (n: number) => T)(n)
  if (n === 0) return out
  if (rank === 3) {
    const [d0, d1, d2] = shape as [number, number, number]
    let o = 0
    for (let i = 0; i < d0; i++) {
      for (let j = 0; j < d1; j++) {
        let f = i + d0 * j
        for (let k = 0; k < d2; k++, f += d0 * d1) (out as Float64Array)[o++] = (src as Float64Array)[f] as number
      }
    }
    return out
  }
  // Generic: iterate the output in C order, track the column-major offset.
  const fstride = new Array<number>(rank)
  let s = 1
  for (let a = 0; a < rank; a++) {
    fstride[a] = s
    s *= shape[a] as number
  }
  const idx = new Array<number>(rank).fill(0)
  let f = 0
  for (let o = 0; o < n; o++) {
    ;(out as Float64Array)[o] = (src as Float64Array)[f] as number
    for (let a = rank - 1; a >= 0; a--) {
      idx[a] = (idx[a] as number) + 1
      f += fstride[a] as number
      if ((idx[a] as number) < (shape[a] as number)) break
      f -= (fstride[a] as number) * (shape[a] as number)
      idx[a] = 0
    }
  }
  return out
}

/** Row-major position -> column-major position, for reordering cells, struct elements and characters. */
const columnMajorIndex = (shape: ReadonlyArray<number>): Float64Array => {
  const n = shape.reduce((a, b) => a * b, 1)
  return columnMajorToRowMajor(Float64Array.from({ length: n }, (_, i) => i), shape)
}

/** Where a member sits, for messages: `variable 'wiki'`, then `field 'full_path'`, `cell 3 of 10`, … */
const member = (where: string, part: string): string => (where ? `${where}, ${part}` : part)

/** Decodes a char payload into characters: code points for UTF-8/UTF-32, UTF-16 code units for 16-bit, bytes as Latin-1. */
const decodeChars = (r: ByteReader, type: number, body: Uint8Array): string[] => {
  if (type === MI.UTF8) {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
    try {
      return Array.from(text.decode(body))
    } catch {
      throw r.fail("char data is not valid UTF-8")
    }
  }
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const le = r.littleEndian
  if (type === MI.UINT16 || type === MI.UTF16 || type === MI.INT16) {
    if (body.length % 2 !== 0) throw r.fail(`16-bit char data has an odd length ${body.length}`)
    return Array.from({ length: body.length / 2 }, (_, i) => String.fromCharCode(v.getUint16(i * 2, le)))
  }
  if (type === MI.UTF32 || type === MI.UINT32 || type === MI.INT32) {
    if (body.length % 4 !== 0) throw r.fail(`32-bit char data has a length ${body.length} not a multiple of 4`)
    return Array.from({ length: body.length / 4 }, (_, i) => {
      const cp = v.getUint32(i * 4, le)
      if (cp > 0x10ffff) throw r.fail(`char data holds ${cp}, not a Unicode code point`)
      return String.fromCodePoint(cp)
    })
  }
  if (type === MI.UINT8 || type === MI.INT8) return Array.from(body, (b) => String.fromCharCode(b))
  throw r.fail(`char data stored as unsupported type ${type}`)
}

/** A char array: characters laid out column-major in `shape`, returned as the rows along the last axis. */
const charArray = (r: ByteReader, shape: number[], chars: string[]): MatCharArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  if (chars.length !== n) throw r.fail(`char array of size ${shape.join("x")} holds ${chars.length} characters`)
  const order = columnMajorIndex(shape)
  const rowLength = shape[shape.length - 1] ?? 0
  const rows = rowLength === 0 ? 0 : n / rowLength
  const strings: string[] = []
  for (let row = 0; row < rows; row++) {
    let text = ""
    for (let k = 0; k < rowLength; k++) text += chars[order[row * rowLength + k] as number]
    strings.push(text.replace(/\0+$/, ""))
  }
  return { kind: "char", shape, strings }
}

/** Reads `count` nested miMATRIX elements from `at` (cell members or struct field values). */
const readMembers = (r: ByteReader, at: number, count: number, whereOf: (k: number) => string): MatValue[] => {
  const out: MatValue[] = []
  let pos = at
  for (let k = 0; k < count; k++) {
    const where = whereOf(k)
    if (pos + 8 > r.bytes.length) throw r.at(r.bytes, where).fail(`missing: the array ends after ${k} of ${count} members (truncated file?)`)
    const el = readElement(r.at(r.bytes, where), pos, r.bytes.length, true)
    if (el.type !== MI.MATRIX) throw r.at(r.bytes, where).fail(`expected a matrix element, found type ${el.type}`)
    // A cut-off member is decoded as far as it goes, so the error names the innermost field or cell that is short.
    const decoded = readArray(r.at(el.body, where), el.body)
    if (el.truncated) throw r.at(r.bytes, where).fail(`matrix element at byte ${pos} is cut off (truncated file?)`)
    out.push(decoded.value)
    pos = el.next
  }
  return out
}

/**
 * Decodes the payload of one miMATRIX element at any depth (a variable, a cell member or a field value).
 * `r` reads `body`; its `where` names the array in messages.
 */
const readArray = (r: ByteReader, body: Uint8Array): { readonly name: string; readonly value: MatValue } => {
  const end = body.length
  // MATLAB writes an empty member (e.g. `[]` in a cell) as a matrix element with no payload: a 0x0 double.
  if (end === 0) return { name: "", value: { kind: "numeric", class: "double", shape: [0, 0], data: new Float64Array(0) } }
  const flags = readElement(r, 0, end)
  if (flags.type !== MI.UINT32 || flags.body.length < 8) throw r.fail("array flags sub-element missing or malformed")
  const flagWord = new DataView(flags.body.buffer, flags.body.byteOffset, 8).getUint32(0, r.littleEndian)
  const classId = flagWord & 0xff
  const isComplex = (flagWord & 0x800) !== 0
  const isLogical = (flagWord & 0x200) !== 0
  const dimsEl = readElement(r, flags.next, end)
  if (dimsEl.type !== MI.INT32 || dimsEl.body.length % 4 !== 0) throw r.fail("dimensions sub-element missing or malformed")
  const dv = new DataView(dimsEl.body.buffer, dimsEl.body.byteOffset, dimsEl.body.byteLength)
  const shape: number[] = []
  for (let i = 0; i < dimsEl.body.length / 4; i++) {
    const d = dv.getInt32(i * 4, r.littleEndian)
    if (d < 0) throw r.fail(`negative dimension ${d}`)
    shape.push(d)
  }
  const nameEl = readElement(r, dimsEl.next, end)
  if (nameEl.type !== MI.INT8 && nameEl.type !== MI.UINT8 && nameEl.type !== MI.UTF8) throw r.fail("array name sub-element missing or malformed")
  const name = new TextDecoder().decode(nameEl.body)
  const className = CLASS_NAMES[classId] ?? `class ${classId}`
  const n = shape.reduce((a, b) => a * b, 1)
  const order = () => columnMajorIndex(shape)
  if (classId === 1) {
    // cell: n matrices, column-major
    const col = readMembers(r, nameEl.next, n, (k) => member(r.where, `cell ${k + 1} of ${n}`))
    const o = order()
    return { name, value: { kind: "cell", shape, cells: Array.from(o, (c) => col[c] as MatValue) } }
  }
  if (classId === 2 || classId === 3) {
    // struct/object: [class name], field-name length, field names, then n x fields matrices (element-major, column-major)
    let at = nameEl.next
    let objectClass: string | undefined
    if (classId === 3) {
      const cn = readElement(r, at, end)
      objectClass = new TextDecoder().decode(cn.body)
      at = cn.next
    }
    const lenEl = readElement(r, at, end)
    if (lenEl.type !== MI.INT32 || lenEl.body.length !== 4) throw r.fail("struct field-name length sub-element missing or malformed")
    const nameLength = new DataView(lenEl.body.buffer, lenEl.body.byteOffset, 4).getInt32(0, r.littleEndian)
    const namesEl = readElement(r, lenEl.next, end)
    if (namesEl.type !== MI.INT8 && namesEl.type !== MI.UINT8) throw r.fail("struct field names sub-element missing or malformed")
    if (nameLength <= 0 ? namesEl.body.length !== 0 : namesEl.body.length % nameLength !== 0) {
      throw r.fail(`struct field names take ${namesEl.body.length} bytes, not a multiple of the field-name length ${nameLength}`)
    }
    const fields: string[] = []
    for (let off = 0; nameLength > 0 && off < namesEl.body.length; off += nameLength) {
      const raw = namesEl.body.subarray(off, off + nameLength)
      const zero = raw.indexOf(0)
      fields.push(new TextDecoder().decode(zero < 0 ? raw : raw.subarray(0, zero)))
    }
    const elementLabel = (k: number) => (n === 1 ? "" : `element ${k + 1} of ${n}`)
    const flat = readMembers(r, namesEl.next, n * fields.length, (k) => {
      const e = Math.floor(k / fields.length)
      const label = elementLabel(e)
      return member(label ? member(r.where, label) : r.where, `field '${fields[k % fields.length]}'`)
    })
    const o = order()
    const elements = Array.from(o, (c) => new Map(fields.map((f, j) => [f, flat[c * fields.length + j] as MatValue])))
    return { name, value: objectClass === undefined ? { kind: "struct", shape, fields, elements } : { kind: "struct", shape, fields, elements, className: objectClass } }
  }
  if (classId === 4) {
    if (n === 0) return { name, value: { kind: "char", shape, strings: [] } }
    const data = readElement(r, nameEl.next, end)
    return { name, value: charArray(r, shape, decodeChars(r, data.type, data.body)) }
  }
  if (classId < 6 || classId > 15) return { name, value: { kind: "undecoded", class: className } }
  const cls: MatNumericClass = isLogical ? "logical" : (className as MatNumericClass)
  const real = readElement(r, nameEl.next, end)
  const realCol = allocate(cls, n)
  decodeNumeric(r, real.type, real.body, realCol, "real part")
  let imag: MatData | undefined
  if (isComplex) {
    const im = readElement(r, real.next, end)
    const imagCol = allocate(cls, n)
    decodeNumeric(r, im.type, im.body, imagCol, "imaginary part")
    imag = columnMajorToRowMajor(imagCol, shape)
  }
  const data = columnMajorToRowMajor(realCol, shape)
  return { name, value: imag ? { kind: "numeric", class: cls, shape, data, imag } : { kind: "numeric", class: cls, shape, data } }
}

/** The variable name of a (possibly cut-off) matrix payload, for messages; "" when even the name is missing. */
const peekName = (parent: ByteReader, body: Uint8Array): string => {
  const r = parent.at(body, "")
  try {
    const flags = readElement(r, 0, body.length)
    const dims = readElement(r, flags.next, body.length)
    return new TextDecoder().decode(readElement(r, dims.next, body.length).body)
  } catch {
    return ""
  }
}

/**
 * Decodes a top-level variable's matrix payload. When the payload is cut off (`truncated`), decodes what is there so
 * that the error names the field and cell where the data ends.
 */
const readVariable = (r: ByteReader, body: Uint8Array, truncated: boolean, cause: string): { readonly name: string; readonly value: MatValue } => {
  const name = peekName(r, body)
  const at = r.at(body, name ? `variable '${name}'` : "variable")
  if (!truncated) return readArray(at, body)
  try {
    readArray(at, body)
  } catch (e) {
    if (e instanceof MatFileInvalid) throw new MatFileInvalid({ file: r.file, reason: `truncated file (${cause}); decoding stops at ${e.reason}` })
    throw e
  }
  throw at.fail(`truncated file (${cause})`)
}

/**
 * Parses MATLAB v5 bytes. `file` is only used in error messages.
 * Fails with MatFileUnsupportedVersion (v4, v7.3/HDF5) or MatFileInvalid (garbage, truncated, corrupt zlib).
 */
export const parseMat = (bytes: Uint8Array, file: string): MatFile => {
  const hdf5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
  const hasHdf5At = (off: number) => bytes.length >= off + 8 && hdf5.every((b, i) => bytes[off + i] === b)
  if (hasHdf5At(0) || hasHdf5At(512)) throw new MatFileUnsupportedVersion({ file, version: "7.3" })
  if (bytes.length < 128) {
    // Like scipy: a zero among the first 4 bytes means a v4 type word (MOPT).
    if (bytes.length >= 20 && bytes.subarray(0, 4).includes(0)) throw new MatFileUnsupportedVersion({ file, version: "4" })
    throw new MatFileInvalid({ file, reason: `only ${bytes.length} bytes, a v5 header alone is 128 bytes` })
  }
  const e0 = bytes[126], e1 = bytes[127]
  const little = e0 === 0x49 && e1 === 0x4d // "IM"
  const big = e0 === 0x4d && e1 === 0x49 // "MI"
  const headerText = new TextDecoder("latin1").decode(bytes.subarray(0, 116)).replace(/[\0 ]+$/, "")
  if (!little && !big) {
    // No v5 endian indicator. v4 files start with a 4-byte type word holding zero bytes.
    if (bytes.subarray(0, 4).includes(0)) throw new MatFileUnsupportedVersion({ file, version: "4" })
    throw new MatFileInvalid({ file, reason: "no MATLAB v5 header (endian indicator 'IM'/'MI' missing at byte 126)" })
  }
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, little)
  if (version === 0x0200 || headerText.startsWith("MATLAB 7.3")) throw new MatFileUnsupportedVersion({ file, version: "7.3" })
  if (version !== 0x0100) throw new MatFileInvalid({ file, reason: `unknown header version 0x${version.toString(16)}` })
  const r = new ByteReader(bytes, little, file)
  const variables = new Map<string, MatVariable>()
  const values = new Map<string, MatValue>()
  const skipped: Array<{ name: string; class: string }> = []
  let at = 128
  while (at + 8 <= bytes.length) {
    const el = readElement(r, at, bytes.length, true)
    let decoded: { readonly name: string; readonly value: MatValue } | undefined
    if (el.type === MI.COMPRESSED) {
      let inflated: Uint8Array
      let cause = el.truncated ? `compressed element at byte ${at} is cut off` : ""
      try {
        inflated = inflateSync(el.body)
      } catch (e) {
        // Inflate what is there, so the error can name the variable and field where the data ends.
        try {
          inflated = inflateSync(el.body, { finishFlush: zlibConstants.Z_SYNC_FLUSH })
        } catch {
          throw r.fail(`compressed element at byte ${at} does not inflate: ${(e as Error).message}`)
        }
        cause = `compressed element at byte ${at} does not inflate: ${(e as Error).message}`
      }
      const inner = new ByteReader(inflated, little, file)
      if (inflated.length >= 8) {
        const innerEl = readElement(inner, 0, inflated.length, true)
        if (innerEl.type === MI.MATRIX) decoded = readVariable(inner, innerEl.body, cause !== "" || innerEl.truncated === true, cause || "matrix element cut off")
        else if (cause) throw r.fail(cause)
      } else if (cause) throw r.fail(cause)
    } else if (el.type === MI.MATRIX) {
      decoded = readVariable(r, el.body, el.truncated === true, `matrix element at byte ${at} is cut off`)
    } else if (el.truncated) {
      throw r.fail(`data element of type ${el.type} at byte ${at} runs past the end (truncated file?)`)
    }
    if (decoded !== undefined) {
      const { name, value } = decoded
      if (value.kind === "undecoded") skipped.push({ name, class: value.class })
      else {
        values.set(name, value)
        if (value.kind === "numeric") variables.set(name, { ...value, name })
      }
    }
    at = el.next
  }
  if (at < bytes.length && bytes.length - at < 8 && bytes.subarray(at).some((b) => b !== 0)) {
    throw r.fail(`${bytes.length - at} stray bytes after the last element (truncated file?)`)
  }
  return { file, headerText, variables, values, skipped }
}

/** Reads and parses a `.mat` file from disk; errors as {@link parseMat}, plus MatFileInvalid when unreadable. */
export const readMat = (file: string): MatFile => {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new MatFileInvalid({ file, reason: `cannot read: ${(e as Error).message}` })
  }
  return parseMat(bytes, file)
}

/**
 * Reads one variable of a `.mat` file (default: the only numeric one, or `instance`).
 * Fails with MatFileInvalid naming the file when the variable is missing.
 */
export const readMatVariable = (file: string, name?: string): MatVariable => {
  const mat = readMat(file)
  const wanted = name ?? (mat.variables.has("instance") ? "instance" : mat.variables.size === 1 ? [...mat.variables.keys()][0] : undefined)
  const v = wanted === undefined ? undefined : mat.variables.get(wanted)
  if (v === undefined) {
    const have = [...mat.variables.keys()].join(", ") || "none"
    throw new MatFileInvalid({ file, reason: `no numeric variable ${name ? `'${name}'` : "to pick"} (numeric variables: ${have})` })
  }
  return v
}

/**
 * Reads one variable of any decoded kind (numeric, char, cell, struct). Fails with MatFileInvalid naming the file
 * when the variable is missing, or when the file is bad or truncated.
 */
export const readMatValue = (file: string, name: string): MatValue => {
  const mat = readMat(file)
  const v = mat.values.get(name)
  if (v === undefined) {
    const have = [...mat.values.keys()].join(", ") || "none"
    throw new MatFileInvalid({ file, reason: `no variable '${name}' (variables: ${have})` })
  }
  return v
}
