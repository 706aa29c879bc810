/**
 * Quality of the `dcgan-anime` default: FID/KID (random-cnn) of the last checkpoint with their held-out floors,
 * and sample clarity over the real faces'. `npx tsx bench/quality-dcgan-anime.ts [--set …]`
 */
import { animeGanQuality } from "./quality-anime-gan.ts"
import { passThroughArgs } from "./quality-run.ts"

await animeGanQuality("dcgan-anime", passThroughArgs())
