/** @ganflow/viz — pictures of GAN training: image grids, progress GIFs, curves. */
export { imagesFromFloats, type ImageBatch } from "./ImageBatch.ts"
export { layoutGrid, renderImageGrid, type GridOptions } from "./ImageGrid.ts"
export { encodeProgressGif, type RgbFrame } from "./ProgressGif.ts"
export { renderCurvesSvg, svgToPng, type Series, type ChartOptions } from "./Curves.ts"
export { renderRunReport, writeRunReport, seriesFromJsonl } from "./RunReport.ts"
export { renderVoxels, renderVoxelSheet, type VoxelGrid, type VoxelRenderOptions, type RgbImage } from "./VoxelRender.ts"
export { interpolateLatents, interpolationLatentBatch, renderInterpolationStrip, LatentInterpolationInvalid, type InterpolationMode, type InterpolationBatchOptions } from "./LatentInterpolation.ts"
export { renderRunDiffReport, writeRunDiffReport, runDiffReportName, seriesFromStepTable } from "./RunDiffReport.ts"
