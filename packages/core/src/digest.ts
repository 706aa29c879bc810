/**
 * SHA-256 digests of bytes, strings and files, as lowercase hex. Files are hashed in one read when small
 * and streamed in chunks otherwise, so a multi-gigabyte dataset never sits in memory.
 */
import { createHash } from "node:crypto"
import { closeSync, openSync, readSync, fstatSync } from "node:fs"

/** sha256 of a string (UTF-8) or bytes, hex. */
export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")

const chunkSize = 4 << 20
let chunk: Buffer | undefined

/** sha256 of a file's content and its size in bytes. Throws the file system error (ENOENT, EISDIR...). */
export const hashFile = (path: string): { digest: string; size: number } => {
  const fd = openSync(path, "r")
  try {
    const size = fstatSync(fd).size
    const hash = createHash("sha256")
    chunk ??= Buffer.allocUnsafe(chunkSize)
    let read: number
    while ((read = readSync(fd, chunk, 0, chunkSize, null)) > 0) hash.update(read === chunkSize ? chunk : chunk.subarray(0, read))
    return { digest: hash.digest("hex"), size }
  } finally {
    closeSync(fd)
  }
}
