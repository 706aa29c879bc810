import { escapeHtml } from "../html-escape.ts"
import type { TranslationDemoConfig } from "./translation-demo-config.ts"

/** JSON safe inside a `<script>` element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c")

/**
 * The translation demo's `index.html`: styles, the config as JSON, the examples script and the bundled page script
 * (classic scripts only, so the page works opened from disk).
 */
export const renderTranslationDemoHtml = (config: TranslationDemoConfig, scriptPath: string): string => {
  const big = config.size >= 192 ? config.size : config.size * Math.max(1, Math.floor(256 / config.size))
  const thumb = config.size >= 96 ? 96 : config.size * Math.max(1, Math.floor(96 / config.size))
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.title)}</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: dark; }
  body { margin: 0; padding: 1.5rem; background: #15171c; color: #e6e6e6; font: 15px/1.45 system-ui, sans-serif; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h2 { font-size: 1rem; margin: 0 0 .4rem; }
  section.panel { background: #1d2027; border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1.2rem; max-width: 60rem; }
  .strip { display: flex; gap: 6px; flex-wrap: wrap; }
  canvas { image-rendering: pixelated; background: #000; border-radius: 4px; }
  canvas.thumb { width: ${thumb}px; height: ${thumb}px; border: 2px solid transparent; cursor: pointer; }
  canvas.thumb.selected { border-color: #f0b429; }
  canvas.big { width: min(${big}px, 28vw); height: auto; aspect-ratio: 1; }
  .result { display: flex; gap: 1rem; flex-wrap: wrap; }
  figure { margin: 0; } figcaption { color: #9aa3b2; font-size: .85rem; text-align: center; }
  .note, .status { color: #9aa3b2; font-size: .85rem; margin: .5rem 0 0; }
  .error { background: #5c1f24; color: #ffd7d9; padding: .6rem 1rem; border-radius: 6px; max-width: 60rem; }
</style>
</head>
<body>
<h1>${escapeHtml(config.title)}</h1>
<main id="ganflow-translation"><noscript><p class="error">The demo needs JavaScript.</p></noscript></main>
<script type="application/json" id="ganflow-translation-config">${scriptJson(config)}</script>
<script src="${escapeHtml(config.examplesScriptPath)}"></script>
<script src="${escapeHtml(scriptPath)}"></script>
</body>
</html>
`
}
