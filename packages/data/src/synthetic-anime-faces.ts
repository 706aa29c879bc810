/**
 * Built-in synthetic dataset of anime-style faces, 64x64 RGB by default,
 * drawn by our own code (no real data), deterministic by seed: item i depends
 * only on (seed, i). Each face varies hair colour and style (long, bob, twin
 * tails, with straight, spiky, swept or parted bangs and side locks), big eyes
 * with varied iris colour and highlights, skin tone, blush, mouth, clothing,
 * background colour or gradient, head tilt, size and position.
 */
import {
  RgbCanvas, cubicCurve, ellipseShape, hsl, mixRgb, polygonShape, quadraticCurve, shadeRgb, strokeShape,
  type Point, type Rgb,
} from "./antialiased-canvas.ts"
import { ageGroups, type AgeGroup } from "./age-groups.ts"
import { DataParamsInvalid } from "./errors.ts"
import { SeededRandom } from "./seeded-random.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Options of {@link generateAnimeFaces}. */
export interface AnimeFacesOptions {
  /** Number of faces. */
  readonly count: number
  /** Seed; the same seed gives the same faces. */
  readonly seed: number
  /** Output size in pixels (default 64; drawn at that size, not resized). */
  readonly size?: number
  /**
   * Index of the first face (default 0). Face i is drawn from its own (seed, i) stream, so `first: n` gives faces
   * n… of the same seed's larger set: e.g. held-out faces disjoint from a training set of the first n.
   */
  readonly first?: number
}

const HAIR_HUES: ReadonlyArray<readonly [number, number, number]> = [
  // [hue, saturation, lightness]
  [25, 0.15, 0.12], [25, 0.45, 0.25], [28, 0.55, 0.38], [45, 0.75, 0.62], [20, 0.85, 0.5], [5, 0.75, 0.42],
  [335, 0.7, 0.72], [280, 0.45, 0.5], [220, 0.6, 0.45], [200, 0.65, 0.68], [150, 0.4, 0.42], [0, 0, 0.85],
  [230, 0.25, 0.2], [265, 0.35, 0.75], [50, 0.5, 0.82],
]
/** The colour word a caption uses for each entry of {@link HAIR_HUES} (same order). */
const HAIR_COLOR_NAMES = ["black", "brown", "brown", "blonde", "orange", "red", "pink", "purple", "blue", "aqua", "green", "white", "black", "purple", "blonde"] as const
const IRIS_HUES = [210, 190, 130, 0, 275, 30, 45, 320, 170, 240]
/** The colour word a caption uses for each entry of {@link IRIS_HUES} (same order). */
const EYE_COLOR_NAMES = ["blue", "aqua", "green", "red", "purple", "brown", "yellow", "pink", "aqua", "blue"] as const
const SKINS: ReadonlyArray<Rgb> = [
  [1.0, 0.9, 0.83], [1.0, 0.87, 0.78], [0.99, 0.84, 0.74], [0.98, 0.8, 0.7], [0.93, 0.74, 0.6], [0.8, 0.6, 0.46], [1.0, 0.93, 0.88],
]

/** Every hair colour word a face can have. */
export const hairColorNames = ["black", "brown", "blonde", "orange", "red", "pink", "purple", "blue", "aqua", "green", "white"] as const
/** Every eye colour word a face can have. */
export const eyeColorNames = ["blue", "aqua", "green", "red", "purple", "brown", "yellow", "pink"] as const
/** Hair styles. */
export const hairStyles = ["long", "bob", "twintails", "short"] as const
/** Shapes of the fringe. */
export const bangsKinds = ["straight", "spiky", "swept", "parted"] as const
/** Mouths. */
export const mouthKinds = ["smile", "open", "flat", "cat"] as const
/** Accessories in the hair. */
export const accessoryKinds = ["none", "headband", "ribbon"] as const

type Bangs = (typeof bangsKinds)[number]
type Style = (typeof hairStyles)[number]

/**
 * What was drawn for one face, as categories a caption can name (and a classifier can predict). Drawing decides
 * them from the face's own random stream, so they describe the pixels exactly.
 */
export interface FaceAttributes {
  readonly hairColor: (typeof hairColorNames)[number]
  readonly hairStyle: Style
  readonly bangs: Bangs
  readonly eyeColor: (typeof eyeColorNames)[number]
  /** Both eyes drawn closed (4% of faces; the eye colour is then not visible). */
  readonly eyesClosed: boolean
  readonly mouth: (typeof mouthKinds)[number]
  readonly blush: boolean
  readonly accessory: (typeof accessoryKinds)[number]
}

/** What was drawn for one face of {@link generateAgedFaces}: the face's attributes and the age group it was drawn at. */
export interface AgedFaceAttributes extends FaceAttributes {
  readonly age: AgeGroup
}

/**
 * How an age group changes a face (see {@link ageLook}): proportions applied to the values the face's own stream
 * drew, grey mixed into the hair, and lines drawn on the skin. The neutral look (no age given) multiplies by 1 and
 * adds 0, so faces drawn without an age keep their pixels exactly.
 */
interface AgeLook {
  /** Head size, face width, jaw roundness, eye size and eye height factors. */
  readonly headScale: number
  readonly faceWidth: number
  readonly jaw: number
  readonly eyeScale: number
  readonly eyeOpen: number
  /** Shifts in design pixels: chin down (+) or up (-), eyes down (+). */
  readonly chinShift: number
  readonly eyeShift: number
  /** 0..1: how much of the hair colour turns grey. */
  readonly grey: number
  /** Opacity of the under-eye lines, the nose-to-mouth lines, the crow's feet and the chin/jowl lines (0: none). */
  readonly underEye: number
  readonly nasolabial: number
  readonly crowsFeet: number
  readonly jowls: number
  /** Width factor of those lines (1: the face's own fine strokes). */
  readonly lineWidth: number
  /** Jitter of the lines from the age's own random stream (the face's stream is never touched). */
  readonly random?: SeededRandom
}

const NEUTRAL_LOOK: AgeLook = {
  headScale: 1, faceWidth: 1, jaw: 1, eyeScale: 1, eyeOpen: 1, chinShift: 0, eyeShift: 0, grey: 0, underEye: 0, nasolabial: 0, crowsFeet: 0, jowls: 0, lineWidth: 1,
}

/**
 * The look of each of the six age groups, with cues chosen to read at 32x32 (where a design pixel is half a pixel):
 * 0-18 a child's (smaller, rounder head, higher chin, bigger and lower eyes), 19-29 the base drawing, then with age
 * longer faces, smaller and narrower eyes, hair turning grey in clear steps (30% at 30-39, 55% at 40-49, 78% at 50-59,
 * 97% at 60+) and lines about a pixel wide: under the eyes from 30, nose-to-mouth from 40, crow's feet from 50, jowls
 * at 60+. `random` (a stream of its own) jitters the amounts slightly so a group is not one exact look; the grey
 * jitter (±0.06) keeps neighbouring groups apart.
 */
const ageLook = (group: number, random: SeededRandom): AgeLook => {
  const j = (x: number, spread: number) => x * (1 + random.uniform(-spread, spread))
  const grey = (x: number) => Math.min(1, x + random.uniform(-0.06, 0.06))
  const lines = { lineWidth: AGE_LINE_WIDTH, random }
  switch (group) {
    case 0:
      return { ...NEUTRAL_LOOK, headScale: j(0.88, 0.03), faceWidth: j(0.96, 0.02), jaw: j(1.25, 0.04), eyeScale: j(1.2, 0.03), eyeOpen: 1.05, chinShift: -j(4, 0.2), eyeShift: j(2, 0.2), random }
    case 1:
      return { ...NEUTRAL_LOOK, random }
    case 2:
      return { ...NEUTRAL_LOOK, ...lines, faceWidth: 0.98, eyeScale: j(0.94, 0.02), eyeOpen: 0.92, chinShift: j(0.9, 0.3), grey: grey(0.3), underEye: j(0.85, 0.1) }
    case 3:
      return { ...NEUTRAL_LOOK, ...lines, faceWidth: 0.98, jaw: 1.05, eyeScale: j(0.89, 0.02), eyeOpen: 0.85, chinShift: j(1.4, 0.3), grey: grey(0.55), underEye: j(0.9, 0.05), nasolabial: j(0.85, 0.1) }
    case 4:
      return { ...NEUTRAL_LOOK, ...lines, faceWidth: 0.99, jaw: 1.1, eyeScale: j(0.85, 0.02), eyeOpen: 0.78, chinShift: j(2, 0.3), eyeShift: 0.5, grey: grey(0.78), underEye: j(0.9, 0.05), nasolabial: j(0.9, 0.05), crowsFeet: j(0.9, 0.1) }
    default:
      return { ...NEUTRAL_LOOK, ...lines, faceWidth: 1.0, jaw: 1.16, eyeScale: j(0.8, 0.02), eyeOpen: 0.7, chinShift: j(2.6, 0.2), eyeShift: 1, grey: grey(0.97), underEye: j(0.95, 0.05), nasolabial: j(0.95, 0.05), crowsFeet: j(0.95, 0.05), jowls: j(0.9, 0.1) }
  }
}

/** How much wider than the face's own fine strokes the age lines are drawn, so they survive at 32x32. */
const AGE_LINE_WIDTH = 2.2

/** Hair colour as it greys: mixed toward a silver that keeps a trace of the original hue. */
const greyHair = (hair: Rgb, grey: number): Rgb => (grey > 0 ? mixRgb(hair, mixRgb([0.8, 0.8, 0.82], hair, 0.12), grey) : hair)

/** An ellipse with a soft edge: three nested fills whose opacities add up to `opacity` in the middle. */
const softEllipse = (canvas: RgbCanvas, cx: number, cy: number, rx: number, ry: number, color: Rgb, opacity: number): void => {
  for (const k of [1.35, 1.0, 0.65]) canvas.fill(ellipseShape(cx, cy, rx * k, ry * k), color, opacity / 2.6)
}

/** Draws one face into `canvas` (design space 64x64) from the generator `r`; returns what it drew. */
const drawFace = (canvas: RgbCanvas, r: SeededRandom, look: AgeLook = NEUTRAL_LOOK): FaceAttributes => {
  const S = canvas.width / 64
  // ---- palette --------------------------------------------------------------------------------
  const hairEntry = r.pick(HAIR_HUES)
  const [hh, hs, hl] = hairEntry
  const hair = greyHair(hsl(hh + r.uniform(-8, 8), Math.min(1, hs * r.uniform(0.85, 1.15)), Math.min(0.9, hl * r.uniform(0.9, 1.1))), look.grey)
  const hairDark = shadeRgb(hair, 0.62)
  const hairLight = mixRgb(hair, [1, 1, 1], 0.45)
  const skin = mixRgb(r.pick(SKINS), [1, 1, 1], r.uniform(-0.05, 0.1))
  const skinShadow = mixRgb(skin, [0.75, 0.45, 0.45], 0.35)
  const irisIndex = r.int(IRIS_HUES.length)
  const irisHue = IRIS_HUES[irisIndex]! + r.uniform(-10, 10)
  const irisDark = hsl(irisHue, 0.7, 0.22)
  const irisLight = hsl(irisHue, 0.75, r.uniform(0.5, 0.68))
  const lineColor: Rgb = mixRgb([0.12, 0.07, 0.08], hairDark, 0.3)
  // ---- pose -----------------------------------------------------------------------------------
  const angle = r.uniform(-0.14, 0.14)
  const scale = S * r.uniform(0.9, 1.12) * look.headScale
  const cx = 32, cy = 36
  const jx = r.uniform(-3, 3) * S, jy = r.uniform(-2.5, 3) * S
  const c = Math.cos(angle), s = Math.sin(angle)
  // background is drawn untransformed
  canvas.setTransform({ angle: 0, scale: S, dx: 0, dy: 0 })
  const bgA = r.chance(0.5) ? hsl(r.uniform(0, 360), r.uniform(0.2, 0.7), r.uniform(0.6, 0.92)) : hsl(r.uniform(0, 360), r.uniform(0.1, 0.5), r.uniform(0.15, 0.55))
  const bgB = r.chance(0.6) ? mixRgb(bgA, r.chance(0.5) ? [1, 1, 1] : hsl(r.uniform(0, 360), 0.5, 0.6), r.uniform(0.2, 0.6)) : bgA
  canvas.fillAll({ top: bgA, bottom: bgB, y0: 0, y1: 64 })
  if (r.chance(0.3)) {
    for (let k = 0; k < 4; k++) {
      const bx = r.uniform(0, 64), by = r.uniform(0, 64), br = r.uniform(3, 9)
      softEllipse(canvas, bx, by, br, br, [1, 1, 1], r.uniform(0.1, 0.3))
    }
  }
  canvas.setTransform({ angle, scale, dx: cx * S + jx - scale * (c * cx - s * cy), dy: cy * S + jy - scale * (s * cx + c * cy) })
  // ---- geometry -------------------------------------------------------------------------------
  const W = r.uniform(15.5, 19) * look.faceWidth
  const chinY = r.uniform(56, 60) + look.chinShift
  const eyeY = r.uniform(37, 40.5) + look.eyeShift
  const style: Style = r.pick(["long", "long", "bob", "twintails", "short"] as const)
  const bangs: Bangs = r.pick(["straight", "spiky", "spiky", "swept", "parted"] as const)
  const hairTop = r.uniform(2, 7)
  const hairPaint = (base: Rgb, y0: number, y1: number) => ({ top: mixRgb(base, hairLight, 0.25), bottom: shadeRgb(base, 0.75), y0, y1 })
  // ---- back hair ------------------------------------------------------------------------------
  if (style === "long") {
    const w = W + r.uniform(6, 11)
    const pts: Point[] = [
      ...cubicCurve([cx - w, 80], [cx - w - 4, 40], [cx - w + 2, hairTop + 4], [cx, hairTop], 10),
      ...cubicCurve([cx, hairTop], [cx + w - 2, hairTop + 4], [cx + w + 4, 40], [cx + w, 80], 10),
    ]
    canvas.fill(polygonShape(pts), hairPaint(hairDark, 10, 70), 1)
  } else if (style === "bob" || style === "twintails") {
    const w = W + r.uniform(5, 8)
    const bottom = chinY + r.uniform(-6, 2)
    const pts: Point[] = [
      ...cubicCurve([cx - w + 2, bottom], [cx - w - 3, 30], [cx - w + 2, hairTop + 3], [cx, hairTop], 10),
      ...cubicCurve([cx, hairTop], [cx + w - 2, hairTop + 3], [cx + w + 3, 30], [cx + w - 2, bottom], 10),
    ]
    canvas.fill(polygonShape(pts), hairPaint(hairDark, 10, bottom), 1)
    if (style === "twintails") {
      const ribbon = hsl(r.uniform(0, 360), 0.7, 0.55)
      for (const side of [-1, 1]) {
        const tx = cx + side * (W + r.uniform(7, 10)), ty = r.uniform(40, 46)
        const tail: Point[] = cubicCurve([cx + side * (W + 2), 20], [tx + side * 8, ty - 10], [tx + side * 3, ty + 14], [tx - side * 2, 72], 12)
        canvas.fill(strokeShape(tail, (t) => 11 - 5 * t), hairPaint(hair, 20, 70), 1)
        canvas.fill(ellipseShape(cx + side * (W + 3), 21, 2.6, 2.6), ribbon, 1)
      }
    }
  } else {
    const w = W + r.uniform(3, 5)
    canvas.fill(ellipseShape(cx, 28, w, 24), hairPaint(hairDark, 10, 50), 1)
  }
  // ---- neck and clothes ------------------------------------------------------------------------
  const neck: Point[] = [[cx - 6.5, chinY - 8], [cx + 6.5, chinY - 8], [cx + 7, 70], [cx - 7, 70]]
  canvas.fill(polygonShape(neck), skinShadow, 1)
  const cloth = r.chance(0.5) ? hsl(r.uniform(0, 360), r.uniform(0.3, 0.8), r.uniform(0.25, 0.6)) : r.chance(0.5) ? [0.95, 0.95, 0.97] as Rgb : [0.12, 0.12, 0.16] as Rgb
  const collarY = chinY + r.uniform(3, 6)
  const body: Point[] = [[cx - 34, 72], [cx - 30, collarY + 4], [cx - 9, collarY], [cx, collarY + 5], [cx + 9, collarY], [cx + 30, collarY + 4], [cx + 34, 72]]
  canvas.fill(polygonShape(body), cloth, 1)
  if (r.chance(0.5)) {
    const collar: Point[] = [[cx - 10, collarY - 0.5], [cx, collarY + 6], [cx + 10, collarY - 0.5], [cx + 6, collarY + 7], [cx, collarY + 9], [cx - 6, collarY + 7]]
    canvas.fill(polygonShape(collar), [0.97, 0.97, 0.98], 1)
  }
  // ---- face -----------------------------------------------------------------------------------
  const jaw = Math.min(0.9, r.uniform(0.55, 0.75) * look.jaw)
  const face: Point[] = [
    ...cubicCurve([cx - W, 22], [cx - W - 0.5, 36], [cx - W * 0.95, 44], [cx - W * jaw, 50], 8),
    ...quadraticCurve([cx - W * jaw, 50], [cx - 4, chinY - 1], [cx, chinY], 5).slice(1),
    ...quadraticCurve([cx, chinY], [cx + 4, chinY - 1], [cx + W * jaw, 50], 5).slice(1),
    ...cubicCurve([cx + W * jaw, 50], [cx + W * 0.95, 44], [cx + W + 0.5, 36], [cx + W, 22], 8).slice(1),
    ...quadraticCurve([cx + W, 22], [cx, 2], [cx - W, 22], 8).slice(1, -1),
  ]
  canvas.fill(polygonShape(face), skin, 1)
  // ---- blush ----------------------------------------------------------------------------------
  const blushed = r.chance(0.55)
  if (blushed) {
    const blush: Rgb = [1, 0.55, 0.6]
    const a = r.uniform(0.2, 0.4)
    for (const side of [-1, 1]) {
      const bx = cx + side * W * 0.55, by = eyeY + 8.5
      softEllipse(canvas, bx, by, 4, 1.8, blush, a)
    }
  }
  // ---- eyes -----------------------------------------------------------------------------------
  const eyeRx = r.uniform(4.6, 6.2) * look.eyeScale, eyeRy = r.uniform(5.8, 8) * look.eyeScale * look.eyeOpen
  const eyeGap = W * r.uniform(0.44, 0.52)
  const closed = r.chance(0.04)
  const lookX = r.uniform(-0.8, 0.8)
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeGap, ey = eyeY
    const b: [number, number, number, number] = [ex - eyeRx - 3, ey - eyeRy - 3, ex + eyeRx + 3, ey + eyeRy + 3]
    if (closed) {
      const lid = quadraticCurve([ex - eyeRx, ey], [ex, ey + 3], [ex + eyeRx, ey], 6)
      canvas.fill(strokeShape(lid, 1.4), lineColor, 1)
      continue
    }
    canvas.fill(ellipseShape(ex, ey + 0.5, eyeRx, eyeRy * 0.92), [1, 1, 1], 1)
    const ix = ex + lookX, iy = ey + 0.8, irx = eyeRx * 0.78, iry = eyeRy * 0.86
    canvas.fill(ellipseShape(ix, iy, irx, iry), { top: irisDark, bottom: irisLight, y0: iy - iry, y1: iy + iry })
    canvas.fill(ellipseShape(ix, iy - 0.6, irx * 0.45, iry * 0.5), shadeRgb(irisDark, 0.5), 1)
    softEllipse(canvas, ix, iy + iry * 0.55, irx * 0.6, iry * 0.25, irisLight, 0.7)
    const hx = ix - side * irx * 0.35 - irx * 0.1, hy = iy - iry * 0.4
    const hr = r.uniform(1.3, 2.1)
    canvas.fill(ellipseShape(hx, hy, hr, hr * 1.15), [1, 1, 1], 1)
    canvas.fill(ellipseShape(ix + side * irx * 0.35, iy + iry * 0.35, hr * 0.45, hr * 0.45), [1, 1, 1], 0.9)
    // upper lid with a flick at the outer corner, thin lower lash
    const inner: Point = [ex - side * eyeRx * 1.02, ey - eyeRy * 0.35]
    const top: Point = [ex + side * eyeRx * 0.2, ey - eyeRy * 1.12]
    const outer: Point = [ex + side * eyeRx * 1.15, ey - eyeRy * 0.45]
    const lid = [...quadraticCurve(inner, [ex - side * eyeRx * 0.6, ey - eyeRy * 1.05], top, 5), ...quadraticCurve(top, [ex + side * eyeRx * 0.95, ey - eyeRy * 1.05], outer, 5).slice(1)]
    canvas.fill(strokeShape(lid, (t) => 1.1 + 1.4 * Math.sin(Math.PI * Math.min(1, t * 1.1))), lineColor, 1)
    const flick: Point[] = [outer, [outer[0] + side * 1.6, outer[1] - 0.8]]
    canvas.fill(strokeShape(flick, 1.1), lineColor, 1)
    const lower = quadraticCurve([ex - side * eyeRx * 0.5, ey + eyeRy * 0.9], [ex, ey + eyeRy * 1.02], [ex + side * eyeRx * 0.7, ey + eyeRy * 0.8], 4)
    canvas.fill(strokeShape(lower, 0.6), shadeRgb(skinShadow, 0.7), 0.8)
    // eyebrow
    const by = ey - eyeRy - r.uniform(3, 5)
    const brow = quadraticCurve([ex - side * eyeRx * 0.7, by + 0.8], [ex, by - 1], [ex + side * eyeRx * 0.9, by + 0.6], 4)
    canvas.fill(strokeShape(brow, 0.9), shadeRgb(hairDark, 0.7), 0.9)
  }
  // ---- nose and mouth -------------------------------------------------------------------------
  const noseY = (eyeY + chinY) / 2 + 1.5
  canvas.fill(strokeShape([[cx + 0.3, noseY - 0.8], [cx - 0.3, noseY + 0.6]], 0.7), shadeRgb(skinShadow, 0.85), 0.8)
  const mouthY = chinY - r.uniform(6.5, 8.5)
  const mouthW = r.uniform(2, 4) * (look.headScale < 1 ? 0.85 : 1)
  const mouthKind = r.pick(["smile", "smile", "open", "flat", "cat"] as const)
  const mb: [number, number, number, number] = [cx - 6, mouthY - 4, cx + 6, mouthY + 5]
  const mouthLine: Rgb = [0.45, 0.16, 0.18]
  if (mouthKind === "open") {
    const h = r.uniform(1.6, 3)
    canvas.fill(ellipseShape(cx, mouthY + h * 0.4, mouthW * 0.8, h), [0.55, 0.12, 0.16], 1)
    canvas.fill(ellipseShape(cx, mouthY + h * 0.9, mouthW * 0.5, h * 0.45), [0.95, 0.5, 0.5], 1)
  } else if (mouthKind === "cat") {
    const pts: Point[] = [[cx - mouthW, mouthY], [cx - mouthW / 2, mouthY + 1.2], [cx, mouthY], [cx + mouthW / 2, mouthY + 1.2], [cx + mouthW, mouthY]]
    canvas.fill(strokeShape(pts, 0.75), mouthLine, 1)
  } else {
    const bend = mouthKind === "smile" ? 1.6 : 0.3
    canvas.fill(strokeShape(quadraticCurve([cx - mouthW, mouthY], [cx, mouthY + bend], [cx + mouthW, mouthY], 5), 0.8), mouthLine, 1)
  }
  if (look.random !== undefined) drawAgeLines(canvas, look, look.random, { cx, W, eyeY, eyeRx, eyeRy, eyeGap, noseY, mouthY, mouthW, chinY, jaw, color: shadeRgb(skinShadow, 0.62) })
  // ---- front hair: cap, bangs (with a soft shadow on the forehead), side locks ---------------
  const fringeY = eyeY - eyeRy - r.uniform(-1.5, 3.5)
  const capW = W + r.uniform(2.5, 4.5)
  const capPts: Point[] = [
    [cx - capW, 30], ...cubicCurve([cx - capW, 30], [cx - capW - 1, hairTop + 3], [cx - 6, hairTop], [cx, hairTop], 8).slice(1),
    ...cubicCurve([cx, hairTop], [cx + 6, hairTop], [cx + capW + 1, hairTop + 3], [cx + capW, 30], 8).slice(1),
  ]
  const tips: Point[] = []
  const n = bangs === "straight" ? r.int(3) + 6 : r.int(3) + 4
  const skew = bangs === "swept" ? r.uniform(4, 8) * (r.chance(0.5) ? 1 : -1) : 0
  for (let k = 0; k <= n; k++) {
    const t = k / n
    const x = cx + capW - 2 * capW * t
    const edge = Math.abs(t - 0.5) * 2 // 0 at centre, 1 at the sides
    const tipY = fringeY + (bangs === "straight" ? r.uniform(-0.5, 0.5) : r.uniform(-2, 2)) + edge * edge * 4
    const partGap = bangs === "parted" && Math.abs(t - 0.5) < 0.5 / n + 0.01
    tips.push([x - skew * (1 - edge), partGap ? fringeY - 10 : tipY])
    if (k < n) {
      const valleyDepth = bangs === "straight" ? r.uniform(1.5, 3) : r.uniform(5, 10)
      tips.push([x - capW / n - skew * 0.6, tipY - valleyDepth])
    }
  }
  const bangsPts: Point[] = [...capPts, ...tips.reverse()]
  const shadowPts = bangsPts.map(([x, y]) => [x + 0.5, y + 1.8] as Point)
  canvas.fill(polygonShape(shadowPts), skinShadow, 0.35)
  canvas.fill(polygonShape(bangsPts), hairPaint(hair, hairTop, fringeY + 4), 1)
  // strand lines on the bangs
  for (let k = 1; k < tips.length - 1; k += 2) {
    const [vx, vy] = tips[k] as Point
    const line: Point[] = [[vx, vy], [vx + (cx - vx) * 0.05, vy - 7]]
    canvas.fill(strokeShape(line, 0.5), hairDark, 0.5)
  }
  if (style !== "short" || r.chance(0.5)) {
    const lockEnd = style === "long" ? chinY + r.uniform(-4, 6) : chinY - r.uniform(4, 10)
    for (const side of [-1, 1]) {
      const lock = cubicCurve([cx + side * (capW - 2.5), 18], [cx + side * (capW + 1), 30], [cx + side * (W + 0.5), lockEnd - 10], [cx + side * (W - 1.5), lockEnd], 10)
      canvas.fill(strokeShape(lock, (t) => 6.5 - 4.8 * t), hairPaint(hair, 18, lockEnd), 1)
    }
  }
  // ---- highlights and accessories ---------------------------------------------------------------
  // the "angel ring" highlight: two soft arcs across the crown
  const ringY = hairTop + r.uniform(6, 9)
  for (const [a, b] of [[-0.75, -0.12], [0.12, 0.75]] as const) {
    const xa = cx + capW * a, xb = cx + capW * b
    const arc = quadraticCurve([xa, ringY + Math.abs(xa - cx) * 0.25], [(xa + xb) / 2, ringY - 1.2 + Math.abs((xa + xb) / 2 - cx) * 0.2], [xb, ringY + Math.abs(xb - cx) * 0.25], 5)
    canvas.fill(strokeShape(arc, (t) => 0.6 + 1.4 * Math.sin(Math.PI * t)), hairLight, 0.5)
  }
  const accessory = r.int(6)
  if (accessory === 0) {
    const band = quadraticCurve([cx - capW + 1, 20], [cx, hairTop - 3], [cx + capW - 1, 20], 10)
    canvas.fill(strokeShape(band, 2.2), hsl(r.uniform(0, 360), 0.7, 0.55), 1)
  } else if (accessory === 1) {
    const side = r.chance(0.5) ? 1 : -1
    const bx = cx + side * capW * 0.6, by = hairTop + 8
    const ribbon = hsl(r.uniform(0, 360), 0.75, 0.55)
    canvas.fill(polygonShape([[bx, by], [bx - 5, by - 3.5], [bx - 5, by + 3.5]]), ribbon, 1)
    canvas.fill(polygonShape([[bx, by], [bx + 5, by - 3.5], [bx + 5, by + 3.5]]), ribbon, 1)
    canvas.fill(ellipseShape(bx, by, 1.4, 1.4), shadeRgb(ribbon, 0.7), 1)
  }
  return {
    hairColor: HAIR_COLOR_NAMES[HAIR_HUES.indexOf(hairEntry)]!,
    hairStyle: style,
    bangs,
    eyeColor: EYE_COLOR_NAMES[irisIndex]!,
    eyesClosed: closed,
    mouth: mouthKind,
    blush: blushed,
    accessory: accessory === 0 ? "headband" : accessory === 1 ? "ribbon" : "none",
  }
}

/** The face geometry the age lines follow (design space). */
interface LineAnchors {
  readonly cx: number; readonly W: number; readonly eyeY: number; readonly eyeRx: number; readonly eyeRy: number; readonly eyeGap: number
  readonly noseY: number; readonly mouthY: number; readonly mouthW: number; readonly chinY: number; readonly jaw: number; readonly color: Rgb
}

/** Under-eye lines, nose-to-mouth folds, crow's feet and jowl lines at the look's opacities, jittered by `ra`. */
const drawAgeLines = (canvas: RgbCanvas, look: AgeLook, ra: SeededRandom, a: LineAnchors): void => {
  const { cx, eyeY, eyeRx, eyeRy, eyeGap, color } = a
  const w = look.lineWidth
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeGap
    if (look.underEye > 0) {
      const y = eyeY + eyeRy * 1.05 + ra.uniform(0.8, 1.6)
      const bag = quadraticCurve([ex - side * eyeRx * 0.55, y], [ex + side * eyeRx * 0.1, y + 1.6], [ex + side * eyeRx * 0.85, y - 0.4], 5)
      canvas.fill(strokeShape(bag, 0.7 * w), color, look.underEye)
    }
    if (look.nasolabial > 0) {
      const top: Point = [cx + side * ra.uniform(3.2, 4.2), a.noseY - ra.uniform(0.5, 1.5)]
      const bottom: Point = [cx + side * (a.mouthW + ra.uniform(1.2, 2.2)), a.mouthY + ra.uniform(0.5, 1.5)]
      const fold = quadraticCurve(top, [cx + side * (a.mouthW + 3.8), (top[1] + bottom[1]) / 2], bottom, 6)
      canvas.fill(strokeShape(fold, (t) => (0.95 - 0.35 * t) * w), color, look.nasolabial)
    }
    if (look.crowsFeet > 0) {
      const ox = ex + side * (eyeRx * 1.15 + 1.2), oy = eyeY - eyeRy * 0.2
      for (const dy of [-1.6, 0, 1.6]) {
        const ray: Point[] = [[ox, oy + dy * 0.5], [ox + side * ra.uniform(2.2, 3.2), oy + dy + ra.uniform(-0.3, 0.3)]]
        canvas.fill(strokeShape(ray, 0.55 * w), color, look.crowsFeet)
      }
    }
    if (look.jowls > 0) {
      const x0 = cx + side * (a.mouthW + 1.5), y0 = a.mouthY + 1.5
      const jowl = quadraticCurve([x0, y0], [x0 + side * 1.2, y0 + 2.5], [cx + side * a.W * a.jaw * ra.uniform(0.75, 0.9), a.chinY - ra.uniform(2, 3.5)], 5)
      canvas.fill(strokeShape(jowl, 0.7 * w), color, look.jowls)
    }
  }
}

/**
 * Generates `count` anime-style faces as a uint8 dataset [count, size, size, 3].
 * Deterministic: face i depends only on (seed, i). Fails with DataParamsInvalid on a bad count or size.
 */
export const generateAnimeFaces = (options: AnimeFacesOptions): UInt8Dataset => generateAnimeFacesWithAttributes(options).dataset

/** {@link generateAnimeFaces} plus the attributes of every face (same faces, same order). */
export const generateAnimeFacesWithAttributes = (options: AnimeFacesOptions): { readonly dataset: UInt8Dataset; readonly attributes: readonly FaceAttributes[] } =>
  drawFaces(options, (canvas, _, r) => drawFace(canvas, r))

/** Validates the options and draws `count` faces with `draw(canvas, i, face stream of (seed, i))`, i from `first`. */
const drawFaces = (
  options: AnimeFacesOptions,
  draw: (canvas: RgbCanvas, i: number, r: SeededRandom) => FaceAttributes,
): { readonly dataset: UInt8Dataset; readonly attributes: readonly FaceAttributes[] } => {
  const size = options.size ?? 64
  if (!Number.isInteger(options.count) || options.count < 1) throw new DataParamsInvalid({ field: "count", reason: `must be a positive integer, got ${options.count}` })
  if (!Number.isInteger(size) || size < 16) throw new DataParamsInvalid({ field: "size", reason: `must be an integer >= 16, got ${size}` })
  const item = size * size * 3
  const data = new Uint8Array(options.count * item)
  const canvas = new RgbCanvas(size, size)
  const attributes: FaceAttributes[] = []
  const first = options.first ?? 0
  if (!Number.isInteger(first) || first < 0) throw new DataParamsInvalid({ field: "first", reason: `must be an integer >= 0, got ${first}` })
  for (let i = 0; i < options.count; i++) {
    canvas.pixels.fill(0)
    attributes.push(draw(canvas, first + i, new SeededRandom(options.seed * 1_000_003 + first + i)))
    canvas.writeUint8(data, i * item)
  }
  const dataset: UInt8Dataset = { kind: "images", shape: [options.count, size, size, 3], data, meta: { source: "synthetic-anime-faces", seed: options.seed, size } }
  return { dataset, attributes }
}

/** Options of {@link generateAgedFaces}. */
export interface AgedFacesOptions extends AnimeFacesOptions {
  /**
   * Draw every face at this age group (0..5, see age-groups.ts), e.g. to render one identity at every age; default:
   * each face's group is drawn uniformly from the age stream.
   */
  readonly ageGroup?: number
}

/**
 * Synthetic faces with an age: face i is the same identity as {@link generateAnimeFaces}' face i (the same random
 * stream draws it), drawn at an age group that changes proportions, hair greyness and lines visibly (see
 * {@link ageLook}). Everything age-related comes from a second stream per face, so forcing `ageGroup` re-ages an
 * identity without changing anything else. The dataset's `labels` are the age groups. Fails with DataParamsInvalid on a
 * bad count, size or group.
 */
export const generateAgedFaces = (options: AgedFacesOptions): { readonly dataset: UInt8Dataset; readonly attributes: readonly AgedFaceAttributes[] } => {
  const forced = options.ageGroup
  if (forced !== undefined && !(Number.isInteger(forced) && forced >= 0 && forced < ageGroups.length)) {
    throw new DataParamsInvalid({ field: "ageGroup", reason: `must be an integer 0..${ageGroups.length - 1}, got ${forced}` })
  }
  const labels = new Uint8Array(options.count)
  const ages: AgeGroup[] = []
  const { dataset, attributes } = drawFaces(options, (canvas, i, r) => {
    const ageRandom = new SeededRandom((options.seed * 1_000_003 + i) ^ 0x2545f491)
    const group = forced ?? ageRandom.int(ageGroups.length)
    labels[i - (options.first ?? 0)] = group // i is the face's index in the seed's set
    ages.push(ageGroups[group]!)
    return drawFace(canvas, r, ageLook(group, ageRandom))
  })
  return {
    dataset: { ...dataset, labels, meta: { ...dataset.meta, source: "synthetic-aged-faces", ...(forced !== undefined ? { ageGroup: forced } : {}) } },
    attributes: attributes.map((a, i) => ({ ...a, age: ages[i]! })),
  }
}
