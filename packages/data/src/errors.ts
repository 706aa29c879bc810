/**
 * Typed failures of the data package. Every error names the file, folder or
 * field it is about, so a failing pipeline stage says exactly what to fix.
 */
import { taggedErrors } from "@ganflow/core"
import { Data } from "effect"

/** A `.mat` file that is not a readable MATLAB v5 file (garbage, truncated, bad element). */
export class MatFileInvalid extends Data.TaggedError("MatFileInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: not a readable MATLAB v5 .mat file: ${this.reason}`
  }
}

/** A `.mat` file of a version we do not read: v4 (no header) or v7.3 (HDF5). */
export class MatFileUnsupportedVersion extends Data.TaggedError("MatFileUnsupportedVersion")<{
  readonly file: string
  readonly version: "4" | "7.3"
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    const hint = this.version === "7.3"
      ? "it is HDF5-based; re-save it in MATLAB with save(..., '-v7') or use scipy.io.savemat"
      : "re-save it as v5 with MATLAB save(..., '-v7') or scipy.io.savemat"
    return `${this.file}: MATLAB v${this.version} .mat files are not supported (${hint})`
  }
}

/** A readable `.mat` file whose variable or field is missing or not what a reader needs (e.g. `wiki.dob` not numeric). */
export class MatFieldInvalid extends Data.TaggedError("MatFieldInvalid")<{
  readonly file: string
  /** MATLAB path of the field, e.g. `wiki.full_path` or `wiki.full_path{3}`. */
  readonly field: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: field '${this.field}': ${this.reason}`
  }
}

/** An MNIST IDX file with a wrong magic number, inconsistent sizes or truncated data. */
export class IdxFileInvalid extends Data.TaggedError("IdxFileInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: not a valid IDX file: ${this.reason}`
  }
}

/** A `.binvox` file with a wrong header or run-length data that does not fill the grid. */
export class BinvoxFileInvalid extends Data.TaggedError("BinvoxFileInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: not a valid binvox file: ${this.reason}`
  }
}

/** A voxel array (or zoom/pad argument) of the wrong rank or size. */
export class VoxelShapeInvalid extends Data.TaggedError("VoxelShapeInvalid")<{
  readonly operation: string
  readonly shape: ReadonlyArray<number>
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.operation}: voxel array of shape [${this.shape.join(", ")}]: ${this.reason}`
  }
}

/** An image file that could not be decoded (truncated, not an image, unsupported). */
export class ImageDecodeFailed extends Data.TaggedError("ImageDecodeFailed")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: cannot decode image: ${this.reason}`
  }
}

/** An image folder that is missing, unreadable or holds no PNG/JPEG files. */
export class ImageFolderInvalid extends Data.TaggedError("ImageFolderInvalid")<{
  readonly folder: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.folder}: ${this.reason}`
  }
}

/** A dataset file whose header is unreadable or whose size disagrees with its header. */
export class DatasetFileInvalid extends Data.TaggedError("DatasetFileInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: not a valid ganflow uint8 dataset: ${this.reason}`
  }
}

/** Parameters that make no sense for a data operation (batch size larger than the dataset, …). */
export class DataParamsInvalid extends Data.TaggedError("DataParamsInvalid")<{
  readonly field: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.field}: ${this.reason}`
  }
}

/** A folder without a readable MNIST image/label IDX pair of the wanted split (the `digit-source` stage's `data.dir`). */
export class MnistFolderInvalid extends Data.TaggedError("MnistFolderInvalid")<{
  readonly folder: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.folder}: no MNIST IDX pair: ${this.reason}`
  }
}

/** An HDF5 file that cannot be read, or lacks what its layout needs (truncated, not HDF5, missing group or member, wrong size). */
export class Hdf5FileInvalid extends Data.TaggedError("Hdf5FileInvalid")<{
  readonly file: string
  /** Path inside the file (`/train/Black_Footed_Albatross_0001_796111_0/embeddings`), `/` for the file itself. */
  readonly path: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: ${this.path}: ${this.reason}`
  }
}

/** A captions file (`captions.json`) or caption-embeddings file (`embeddings.gfemb`) that is unreadable or inconsistent. */
export class CaptionFileInvalid extends Data.TaggedError("CaptionFileInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  /** Bad input data, not a bug: a run failing on it exits 2 (see @ganflow/core isBadInput). */
  readonly badInput = true
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

/** Every failure the data package can produce. */
export type DataError =
  | MatFileInvalid
  | MatFileUnsupportedVersion
  | MatFieldInvalid
  | IdxFileInvalid
  | MnistFolderInvalid
  | BinvoxFileInvalid
  | VoxelShapeInvalid
  | ImageDecodeFailed
  | ImageFolderInvalid
  | DatasetFileInvalid
  | DataParamsInvalid
  | Hdf5FileInvalid
  | CaptionFileInvalid

/** Whether a thrown value is one of the data package's errors (for `trySync`/`tryAsync` at a stage boundary). */
export const isDataError = taggedErrors(
  MatFileInvalid, MatFileUnsupportedVersion, MatFieldInvalid, IdxFileInvalid, MnistFolderInvalid, BinvoxFileInvalid, VoxelShapeInvalid,
  ImageDecodeFailed, ImageFolderInvalid, DatasetFileInvalid, DataParamsInvalid, Hdf5FileInvalid, CaptionFileInvalid,
)
