import sharp from "sharp"

/** Rasterise an SVG document (a chart from `renderCurvesSvg`) to PNG with sharp's SVG renderer. */
export const svgToPng = (svg: string): Promise<Buffer> => sharp(Buffer.from(svg)).png().toBuffer()
