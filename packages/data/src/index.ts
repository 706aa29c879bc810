/**
 * @ganflow/data — data preparation for GAN pipelines: readers (image folders,
 * MNIST IDX, MATLAB v5 .mat, binvox), voxel pad/zoom with SciPy semantics,
 * built-in synthetic datasets (and captioned faces), the birds/flowers text–image HDF5 layout, the compact UInt8Dataset file format, seeded
 * splits and resumable tensor batches. Its pipeline stages (one source per
 * kind: images, digits, voxels) are in `@ganflow/data/stages`.
 */
export * from "./errors.ts"
export { SeededRandom, type SeededRandomState } from "./seeded-random.ts"
export { sharedDataPath, sharedDataRoot, repositoryRoot } from "./shared-data-location.ts"
export { readMat, parseMat, readMatVariable, readMatValue, columnMajorToRowMajor, type MatFile, type MatVariable } from "./mat-file-reader.ts"
export { matField, matNumbers, matCellStrings, type MatValue, type MatNumericArray, type MatCharArray, type MatCellArray, type MatStructArray, type MatUndecodedArray, type MatNumericClass, type MatData } from "./mat-value.ts"
export { readIdx, parseIdx, readMnist, MNIST_IMAGES_MAGIC, MNIST_LABELS_MAGIC, type IdxArray, type MnistSet } from "./mnist-idx-reader.ts"
export { readBinvox, parseBinvox, type BinvoxGrid } from "./binvox-reader.ts"
export { assertVoxelGrid, type VoxelGrid, type VoxelData } from "./voxel-grid.ts"
export { padVoxels, type VoxelPadding } from "./voxel-pad.ts"
export { zoomVoxels, zoomedShape, roundHalfToEven, type ZoomOrder } from "./voxel-zoom.ts"
export { prepareVoxelsFor3dGan, prepareVoxelDataset, type VoxelPrepOptions } from "./voxel-prep-3dgan.ts"
export { readVoxelFolder, VOXEL_FILE_EXTENSIONS } from "./voxel-folder-reader.ts"
export { readImageFolder, listImageFiles, decodeImageFile, type ImageFolderOptions, type ImageFolderResult, type ResizeKernel } from "./image-folder-reader.ts"
export { sniffImageHeader, type ImageHeader } from "./image-header-sniffer.ts"
export {
  readUInt8Dataset, writeUInt8Dataset, validateDataset, selectDatasetItems, datasetLength, datasetItemSize,
  type UInt8Dataset, type DatasetKind, type DatasetMeta,
} from "./uint8-dataset.ts"
export { splitDataset, type DatasetSplit } from "./dataset-split.ts"
export { normalizeUint8, denormalizeToUint8, type PixelRange } from "./pixel-normalization.ts"
export { BatchStream, type Batch, type BatchCursor, type BatchStreamOptions } from "./batch-stream.ts"
export {
  accessoryKinds, bangsKinds, eyeColorNames, type FaceAttributes, generateAnimeFaces, generateAnimeFacesWithAttributes, generateAgedFaces, type AgedFacesOptions, type AgedFaceAttributes, hairColorNames, hairStyles, mouthKinds,
  type AnimeFacesOptions,
} from "./synthetic-anime-faces.ts"
export { generateDigits, type DigitsOptions } from "./synthetic-digits.ts"
export { generateFurnitureVoxels, FURNITURE_LABELS, type FurnitureVoxelsOptions } from "./synthetic-furniture-voxels.ts"
export { RgbCanvas, ellipseShape, polygonShape, strokeShape, quadraticCurve, cubicCurve, hsl, mixRgb, shadeRgb, type Rgb, type Point, type Shape, type Paint } from "./antialiased-canvas.ts"
export { ageGroups, ageGroupOf, type AgeGroup } from "./age-groups.ts"
export { readImdbWikiMetadata, ageByTheBook, birthFromMatlabDate, type ImdbWikiRecord, type ImdbWikiFilters, type ImdbWikiDropped, type ImdbWikiMetadata } from "./imdb-wiki-metadata.ts"
export { downscaleBicubicLikePil, upscaleBicubicLikePil } from "./bicubic-rescale.ts"
export { readImdbWikiFaces, type ImdbWikiFaces, type ImdbWikiFacesOptions } from "./imdb-wiki-faces.ts"
export { type TranslationData, type TranslationSplit, type TranslationDirection, orientTranslation, jitterLoadSize, storedSize, assertPaired, centreCroppedImages } from "./translation-pairs.ts"
export { readAlignedFolder, readFolderPairs, type PairedReadOptions } from "./paired-image-folders.ts"
export { readUnalignedFolders, type UnpairedReadOptions } from "./unpaired-image-folders.ts"
export { pencilSketch, sepiaInk } from "./translation-face-looks.ts"
export { generateFaceSketchPairs, type FaceSketchPairsOptions } from "./paired-face-sketches.ts"
export { generateFaceStyleDomains, type FaceStyleDomainsOptions } from "./unpaired-face-styles.ts"
export { randomJitter } from "./translation-jitter.ts"
export { openHdf5File, hdf5Path, hdf5Reason, HDF5_TYPE_CLASS, type Hdf5File, type Hdf5Dataset, type Hdf5Value } from "./hdf5-file.ts"
export { readTextImageHdf5, TEXT_IMAGE_SPLITS, type TextImageSplit, type TextImageHdf5Options, type TextImageSet } from "./hdf5-text-image-reader.ts"
export {
  CAPTIONS_FILE, readCaptionTable, writeCaptionTable, validateCaptionTable, isMismatchedCaption, drawMismatchedCaptions,
  type CaptionTable, type FaceAttributeName,
} from "./caption-table.ts"
export { CAPTION_EMBEDDINGS_FILE, readCaptionEmbeddings, writeCaptionEmbeddings, type CaptionEmbeddings } from "./caption-embeddings-file.ts"
export { captionFace, generateCaptionedAnimeFaces, type CaptionedAnimeFacesOptions, type FaceCaption } from "./captioned-anime-faces.ts"
export { buildCaptionVocabulary, tokenizeCaptions, captionWords, type CaptionVocabulary } from "./caption-tokenizer.ts"
export { buildTextEncoder, buildJointImageEncoder, type TextEncoderOptions } from "./text-encoder-network.ts"
export { jointEmbeddingLoss, trainJointEmbedding, encodeTokenRows, encodeImageRows, type JointEmbeddingData, type JointEmbeddingTraining } from "./text-image-joint-embedding.ts"
export { saveTextEncoder, loadTextEncoder, encodeCaptions, TEXT_ENCODER_DIR, VOCABULARY_FILE, type TextEncoder } from "./text-encoder-artifacts.ts"
export { datasetImagesTensor } from "./dataset-images-tensor.ts"
export { ShuffledRowBatches, type RowBatchTraining } from "./shuffled-row-batches.ts"
export { textImageTrainingData, type TextImageTrainingData } from "./text-image-training-data.ts"
