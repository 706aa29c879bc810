/** The resampling SIMD kernels module (pil-resample-kernels.wat), base64; generated. */
export declare const PIL_RESAMPLE_KERNELS_WASM_BASE64: string
