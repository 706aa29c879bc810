/** Types of image-decode-to-size.js (plain JavaScript so image-decode worker threads can load it). */
import type { PilResizeKernel } from "./pil-compatible-resize.js"

/** Packed RGB pixels of PNG/JPEG bytes (alpha dropped, grey replicated, as PIL's `convert("RGB")`). */
export declare const decodeRgb: (bytes: Uint8Array) => Promise<{ width: number; height: number; rgb: Uint8Array }>

/** Decoded pixels [height, width, channels] at `size` = [height, width], resized/fitted as PIL would. */
export declare const decodeToSize: (
  bytes: Uint8Array,
  options: { size: readonly [number, number]; channels: 1 | 3; fit: "cover" | "fill" | "contain"; kernel: PilResizeKernel },
) => Promise<Uint8Array>
