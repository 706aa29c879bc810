/**
 * Latent vectors for the demo page: a small seeded generator of standard-normal draws (mulberry32 + Box-Muller,
 * the distribution the trainers sample z from) and spherical interpolation between two latents.
 */

/** A seeded source of uniform and standard-normal numbers; the same seed gives the same sequence everywhere. */
export class LatentRandom {
  private state: number
  private spare: number | null = null

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** A standard-normal number (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare
      this.spare = null
      return s
    }
    const u = 1 - this.uniform() // (0, 1]: log is finite
    const v = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** A latent vector of `dim` standard-normal values. */
  latent(dim: number): Float32Array {
    const z = new Float32Array(dim)
    for (let i = 0; i < dim; i++) z[i] = this.normal()
    return z
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }
}

/**
 * Spherical interpolation between latents `a` and `b` at `t` in [0, 1] (Shoemake's slerp, as White 2016
 * recommends for Gaussian latents: intermediate vectors keep a typical norm). Falls back to linear
 * interpolation when the two are (anti)parallel.
 */
export const slerp = (a: Float32Array, b: Float32Array, t: number): Float32Array => {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  const cos = Math.min(1, Math.max(-1, dot / (Math.sqrt(na * nb) || 1)))
  const omega = Math.acos(cos)
  const sin = Math.sin(omega)
  const out = new Float32Array(a.length)
  if (sin < 1e-6) {
    for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!
    return out
  }
  const wa = Math.sin((1 - t) * omega) / sin
  const wb = Math.sin(t * omega) / sin
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]! + wb * b[i]!
  return out
}
