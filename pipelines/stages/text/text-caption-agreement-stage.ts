/**
 * Stage `text-caption-agreement`: `@ganflow/metrics`' caption agreement per checkpoint for any text generator of this
 * folder's training stages — StackGAN's G([z, φ(t), ε]) and the Stage-I -> Stage-II chain included — through
 * {@link textAgreementSampler}.
 */
import { defineCaptionAgreementStage } from "@ganflow/metrics/stages"
import { textAgreementSampler } from "./text-conditioned-sampling.ts"

/** Caption agreement per checkpoint of a StackGAN (or GAN-CLS) training stage. */
export const textCaptionAgreement = defineCaptionAgreementStage({ name: "text-caption-agreement", module: import.meta.url, sampler: textAgreementSampler })
