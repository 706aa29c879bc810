/**
 * Reader of CycleGAN's unaligned layout (pytorch-CycleGAN-and-pix2pix `--dataset_mode unaligned`):
 * `<dir>/trainA`, `<dir>/trainB`, `<dir>/testA`, `<dir>/testB`, any number of images in each, every image resized
 * to the square load size with PIL's BICUBIC (the reference's `transforms.Resize`).
 */
import { join } from "node:path"
import { readImageFolder } from "./image-folder-reader.ts"
import type { TranslationData } from "./translation-pairs.ts"

/** Options of {@link readUnalignedFolders}. */
export interface UnpairedReadOptions {
  readonly size: number
  /** Read at most this many images per folder (first in sorted order). */
  readonly limit?: number
}

/**
 * Reads the four folders. Fails with ImageFolderInvalid naming the folder that is missing or holds no images
 * (an empty `trainB` among them), ImageDecodeFailed naming a file that does not decode.
 */
export const readUnalignedFolders = async (dir: string, options: UnpairedReadOptions): Promise<TranslationData> => {
  const read = async (name: string) =>
    (await readImageFolder(join(dir, name), { size: options.size, fit: "fill", kernel: "cubic", ...(options.limit ? { limit: options.limit } : {}) })).dataset
  const [trainA, trainB, testA, testB] = [await read("trainA"), await read("trainB"), await read("testA"), await read("testB")]
  return { train: { a: trainA, b: trainB }, test: { a: testA, b: testB }, paired: false }
}
