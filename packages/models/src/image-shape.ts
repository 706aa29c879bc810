import { type } from "arktype"

/** The shape of one image (or volume) for the MLP models, channels last: positive integers, e.g. `[28, 28, 1]`. */
export const ImageShape = type("number.integer > 0").array().atLeastLength(1).readonly()
