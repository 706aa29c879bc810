/**
 * What a MATLAB v5 variable decodes to (see mat-file-reader.ts), shaped as `scipy.io.loadmat` returns it with its
 * defaults (`struct_as_record=True`, `chars_as_strings=True`, no squeezing): every array keeps MATLAB's shape, and
 * the members of cells and structs are themselves arrays. Plus the accessors a metadata reader needs, which fail with
 * MatFieldInvalid naming the file and the MATLAB path of the field.
 */
import { MatFieldInvalid } from "./errors.ts"

/** MATLAB array classes decoded as numbers. */
export type MatNumericClass =
  | "double" | "single" | "int8" | "uint8" | "int16" | "uint16"
  | "int32" | "uint32" | "int64" | "uint64" | "logical"

/** The typed array used for each numeric class (logical: 0/1 bytes, like NumPy bool). */
export type MatData =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array

/** A numeric or logical array, row-major. */
export interface MatNumericArray {
  readonly kind: "numeric"
  readonly class: MatNumericClass
  /** MATLAB's dimensions (at least 2), e.g. [30, 30, 30]. */
  readonly shape: ReadonlyArray<number>
  /** Real part, row-major (last axis fastest), length = product of shape. */
  readonly data: MatData
  /** Imaginary part for complex variables, else undefined. */
  readonly imag?: MatData
}

/**
 * A char array. `strings` are its rows along the last axis in row-major order, as loadmat's `chars_as_strings`
 * gives them (a 1xN char is one string; 2x3 is two strings of 3 characters; trailing NULs dropped like NumPy's U
 * dtype). Characters are Unicode code points for UTF-8/UTF-32 data (what SciPy writes) and UTF-16 code units for
 * MATLAB's own miUINT16/miUTF16 data.
 */
export interface MatCharArray {
  readonly kind: "char"
  readonly shape: ReadonlyArray<number>
  readonly strings: ReadonlyArray<string>
}

/** A cell array: any value per cell, row-major. */
export interface MatCellArray {
  readonly kind: "cell"
  readonly shape: ReadonlyArray<number>
  readonly cells: ReadonlyArray<MatValue>
}

/** A struct array (or a MATLAB object, with its `className`): one record of field values per element, row-major. */
export interface MatStructArray {
  readonly kind: "struct"
  readonly shape: ReadonlyArray<number>
  /** Field names in file order. */
  readonly fields: ReadonlyArray<string>
  readonly elements: ReadonlyArray<ReadonlyMap<string, MatValue>>
  /** Set for MATLAB objects (class `object`). */
  readonly className?: string
}

/** A member of a cell or struct that is not decoded (sparse, function handle, opaque). */
export interface MatUndecodedArray {
  readonly kind: "undecoded"
  readonly class: string
}

/** Any decoded MATLAB array. */
export type MatValue = MatNumericArray | MatCharArray | MatCellArray | MatStructArray | MatUndecodedArray

const describe = (v: MatValue): string => (v.kind === "numeric" ? `${v.class} array` : v.kind === "undecoded" ? `${v.class} array` : `${v.kind} array`) +
  ("shape" in v ? ` of size ${v.shape.join("x")}` : "")

/**
 * Field `name` of element `index` (row-major, default 0) of a struct array. `path` is the struct's MATLAB path for
 * messages (e.g. `wiki`). Fails with MatFieldInvalid when `value` is not a struct or lacks the field.
 */
export const matField = (file: string, path: string, value: MatValue, name: string, index = 0): MatValue => {
  if (value.kind !== "struct") throw new MatFieldInvalid({ file, field: path, reason: `expected a struct, found a ${describe(value)}` })
  const element = value.elements[index]
  if (element === undefined) throw new MatFieldInvalid({ file, field: path, reason: `struct array has ${value.elements.length} elements, element ${index + 1} wanted` })
  const field = element.get(name)
  if (field === undefined) throw new MatFieldInvalid({ file, field: `${path}.${name}`, reason: `missing (fields: ${value.fields.join(", ") || "none"})` })
  return field
}

/** All values of a real numeric or logical array as float64, row-major (int64 converted). Fails with MatFieldInvalid otherwise. */
export const matNumbers = (file: string, path: string, value: MatValue): Float64Array => {
  if (value.kind !== "numeric") throw new MatFieldInvalid({ file, field: path, reason: `expected a numeric array, found a ${describe(value)}` })
  return Float64Array.from(value.data as ArrayLike<number | bigint>, Number)
}

/**
 * The strings of a cell array of char rows (like IMDB-WIKI's `full_path` and `name`), row-major; an empty cell or an
 * empty char gives "". Fails with MatFieldInvalid naming the cell when a member is not a single-row char array.
 */
export const matCellStrings = (file: string, path: string, value: MatValue): string[] => {
  if (value.kind !== "cell") throw new MatFieldInvalid({ file, field: path, reason: `expected a cell array of strings, found a ${describe(value)}` })
  return value.cells.map((cell, i) => {
    if (cell.kind === "char" && cell.strings.length <= 1) return cell.strings[0] ?? ""
    if (cell.kind === "numeric" && cell.data.length === 0) return ""
    throw new MatFieldInvalid({ file, field: `${path}{${i + 1}}`, reason: `expected a char row, found a ${describe(cell)}` })
  })
}
