import * as tfc from "@tensorflow/tfjs-core"

/**
 * Gradients of the padding and channel-concatenation layers of the image-to-image networks, computed on host
 * arrays. Their default gradients are crops and splits (`Slice`, `SplitV` over an inner axis), which the CPU
 * backends (cpu, wasm, our native one) run element by element through index arithmetic: in a 64 px pix2pix step they
 * took twice as long as all the convolutions. On backends whose tensors live in host memory the same sums are a few
 * typed-array loops; elsewhere (WebGPU, WebGL) the layers keep tfjs' own gradients, so no data is read back.
 */
const HOST_BACKENDS = new Set(["cpu", "wasm", "native", "tensorflow"])

/** Whether gradients may be computed on host arrays on the active backend. */
export const hostGradients = (): boolean => HOST_BACKENDS.has(tfc.getBackend())

/** Source index of padded index `u` for `size` values padded by `p` on each side: reflect ("reflect", edge not repeated) or zero (-1). */
const sourceIndex = (u: number, size: number, p: number, mode: "reflect" | "zero"): number => {
  const i = u - p
  if (i >= 0 && i < size) return i
  if (mode === "zero") return -1
  return i < 0 ? -i : 2 * (size - 1) - i
}

/**
 * d(pad(x))/dx applied to `dy` `[B, H + 2p, W + 2p, C]` on host arrays: the crop, plus (reflect) the mirrored
 * borders folded back onto the pixels they copy. Returns `[B, H, W, C]`. Use only where {@link hostGradients}.
 */
export const paddingGradient = (dy: tfc.Tensor4D, p: number, mode: "reflect" | "zero"): tfc.Tensor4D => {
  const [b, hp, wp, c] = dy.shape
  const h = hp - 2 * p, w = wp - 2 * p
  const src = dy.dataSync() as Float32Array
  const out = new Float32Array(b * h * w * c)
  const rows = Int32Array.from({ length: hp }, (_, u) => sourceIndex(u, h, p, mode))
  const cols = Int32Array.from({ length: wp }, (_, v) => sourceIndex(v, w, p, mode))
  for (let n = 0; n < b; n++) {
    for (let u = 0; u < hp; u++) {
      const r = rows[u]!
      if (r < 0) continue
      for (let v = 0; v < wp; v++) {
        const s = cols[v]!
        if (s < 0) continue
        const from = ((n * hp + u) * wp + v) * c, to = ((n * h + r) * w + s) * c
        for (let k = 0; k < c; k++) out[to + k]! += src[from + k]!
      }
    }
  }
  return tfc.tensor4d(out, [b, h, w, c])
}

/** d(concat([a, b], -1)) applied to `dy` `[..., Ca + Cb]` on host arrays: its first `ca` channels and the rest. Use only where {@link hostGradients}. */
export const channelConcatGradient = (dy: tfc.Tensor, ca: number): [tfc.Tensor, tfc.Tensor] => {
  const c = dy.shape[dy.rank - 1]!
  const cb = c - ca
  const src = dy.dataSync() as Float32Array
  const pixels = src.length / c
  const a = new Float32Array(pixels * ca), b = new Float32Array(pixels * cb)
  for (let p = 0; p < pixels; p++) {
    a.set(src.subarray(p * c, p * c + ca), p * ca)
    b.set(src.subarray(p * c + ca, (p + 1) * c), p * cb)
  }
  const lead = dy.shape.slice(0, -1)
  return [tfc.tensor(a, [...lead, ca]), tfc.tensor(b, [...lead, cb])]
}
