/** Types of pil-compatible-resize.js (plain JavaScript so image-decode worker threads can load it). */

/** PIL's filters: NEAREST, BILINEAR, BICUBIC, LANCZOS. */
export type PilResizeKernel = "nearest" | "linear" | "cubic" | "lanczos3"

/** One axis of PIL's resampling: first index and tap count per output pixel, 22-bit fixed-point weights. */
export interface AxisCoefficients {
  readonly size: number
  readonly bounds: Int32Array
  readonly weights: Int32Array
}

/** PIL's precompute_coeffs + normalize_coeffs_8bpc for one axis (cached). */
export declare const axisCoefficients: (
  inSize: number, in0: number, in1: number, outSize: number, kernel: "linear" | "cubic" | "lanczos3",
) => AxisCoefficients

/** Pillow's `Image.resize((outWidth, outHeight), filter, box)` of packed uint8 [height, width, channels]. */
export declare const resizeLikePil: (
  src: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number,
  kernel: PilResizeKernel, box?: readonly [number, number, number, number],
) => Uint8Array

/** `ImageOps.fit`'s centre-crop box [left, top, right, bottom] for the target aspect. */
export declare const coverBox: (width: number, height: number, outWidth: number, outHeight: number) => [number, number, number, number]

/** `ImageOps.pad`'s resized size and paste offset (letterbox). */
export declare const containPlacement: (
  width: number, height: number, outWidth: number, outHeight: number,
) => { width: number; height: number; left: number; top: number }

/** Pillow's `convert("L")` of packed RGB. */
export declare const rgbToLuma: (rgb: Uint8Array) => Uint8Array

/** "fill" = `Image.resize`, "cover" = `ImageOps.fit`, "contain" = `ImageOps.pad` (black); `pixels` itself when already the size. */
export declare const fitLikePil: (
  pixels: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number,
  fit: "cover" | "fill" | "contain", kernel: PilResizeKernel,
) => Uint8Array

/** WebAssembly SIMD kernels (default, when available) or the plain JavaScript loops; returns the previous setting. */
export declare const setResizeUsesWasm: (enabled: boolean) => boolean
