import { escapeHtml } from "../html-escape.ts"
import type { DemoConfig } from "./demo-config.ts"

/** JSON safe inside a `<script>` element (no `</script>`, no HTML comment openers). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c")

/**
 * The demo's `index.html`: styles, the config as JSON, and the bundled script (`scriptPath`, relative), which
 * builds the page inside `#ganflow-demo`. Classic scripts only, so the page works opened from disk.
 */
export const renderDemoHtml = (config: DemoConfig, scriptPath: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.title)}</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: dark; --cell: ${cellSize(config)}px; --columns: ${gridColumns(config.sampleCount)}; --aspect: ${aspectRatio(config)}; --gap: 6px; }
  body { margin: 0; padding: 1.5rem; background: #15171c; color: #e6e6e6; font: 15px/1.45 system-ui, sans-serif; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h2 { font-size: 1rem; margin: 0 0 .4rem; }
  section { margin-bottom: 1.2rem; }
  /* every panel is as wide as the grid at full size (or 40rem), never wider than the page */
  .panel { background: #1d2027; border-radius: 8px; padding: .8rem 1rem; max-width: max(40rem, calc(var(--columns) * var(--cell) + (var(--columns) - 1) * var(--gap))); }
  .toolbar { display: flex; gap: .8rem; align-items: center; margin-bottom: .8rem; flex-wrap: wrap; }
  button, select { font: inherit; padding: .35rem .8rem; border-radius: 6px; border: 1px solid #4a5060; background: #2a2f3a; color: inherit; cursor: pointer; }
  button:hover { background: #353b48; }
  /* columns shrink together when the panel is narrower than the grid at full size: the grid always fits */
  .grid { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, var(--cell))); gap: var(--gap); }
  .strip { display: flex; gap: 4px; flex-wrap: wrap; }
  canvas.sample { box-sizing: border-box; display: block; width: 100%; height: auto; aspect-ratio: var(--aspect); image-rendering: pixelated; border: 2px solid transparent; border-radius: 4px; background: #000; cursor: pointer; }
  .strip canvas.sample { width: min(calc(var(--cell) * .7), 22vw); cursor: default; }
  canvas.sample.end { border-color: #5a6b8c; }
  canvas.sample.selected { border-color: #f0b429; }
  .sliders { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .3rem 1.2rem; }
  .sliders label { display: grid; grid-template-columns: 3.2rem 1fr 3rem; align-items: center; gap: .5rem; font-variant-numeric: tabular-nums; }
  .note, .status { color: #9aa3b2; font-size: .85rem; margin: 0 0 .5rem; }
  .error { background: #5c1f24; color: #ffd7d9; padding: .6rem 1rem; border-radius: 6px; max-width: 60rem; }
</style>
</head>
<body>
<h1>${escapeHtml(config.title)}</h1>
<main id="ganflow-demo"><noscript><p class="error">The demo needs JavaScript.</p></noscript></main>
<script type="application/json" id="ganflow-demo-config">${scriptJson(config)}</script>
<script src="${escapeHtml(scriptPath)}"></script>
</body>
</html>
`

/** Grid columns: rows of at most 8, as even as possible (16 -> 8 x 2, 12 -> 6 x 2, 5 -> 5 x 1). */
const gridColumns = (count: number): number => Math.ceil(count / Math.ceil(count / 8))

/** Width / height of one displayed sample (a volume is shown as its projection along depth: H x W). */
const aspectRatio = (config: DemoConfig): string => {
  const [height, width] = config.outputShape.length === 4 ? config.outputShape.slice(1, 3) : config.outputShape.slice(0, 2)
  return `${Math.max(width ?? 1, 1)} / ${Math.max(height ?? 1, 1)}`
}

/** Display size of one sample in CSS pixels: small images are magnified by a whole factor, to about 96-128 px. */
const cellSize = (config: DemoConfig): number => {
  const side = Math.max(config.outputShape.length === 4 ? config.outputShape[2]! : config.outputShape[1]!, 1)
  return side >= 96 ? side : side * Math.max(1, Math.floor(128 / side))
}
