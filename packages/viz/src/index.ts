/** @ganflow/viz — pictures of GAN training: image grids, progress GIFs, curves, voxel renders, latent walks, the browser demo. */
export { imagesFromFloats, type ImageBatch } from "./image-batch.ts"
export { layoutGrid, renderImageGrid, encodeRgbPng, type GridOptions } from "./image-grid.ts"
export { encodeProgressGif, type RgbFrame } from "./progress-gif.ts"
export { renderCurvesSvg, type Series, type ChartOptions } from "./curves.ts"
export { svgToPng } from "./svg-to-png.ts"
export { escapeHtml } from "./html-escape.ts"
export { renderVoxels, renderVoxelSheet, type VoxelGrid, type VoxelRenderOptions, type RgbImage } from "./voxel-render.ts"
export { interpolateLatents, interpolationLatentBatch, renderInterpolationStrip, LatentInterpolationInvalid, type InterpolationMode, type InterpolationBatchOptions } from "./latent-interpolation.ts"
