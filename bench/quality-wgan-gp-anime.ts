/**
 * Quality of the `wgan-gp-anime` default against `dcgan-anime`'s (issue 19: WGAN-GP within 10 minutes on 2 cores,
 * faces at least as clear as the DCGAN default's): runs both defaults (cached when nothing changed) and prints
 * their FID/KID on the same extractor (random-cnn, seed 0, on the same 32x32 built-in faces, so both compare
 * with the same reference statistics), their held-out floors, and each one's sample clarity over the real faces'
 * — then the grids to look at side by side.
 *
 *   npx tsx bench/quality-wgan-gp-anime.ts
 */
import { animeGanQuality } from "./quality-anime-gan.ts"
import { check, passThroughArgs } from "./quality-run.ts"

const args = passThroughArgs()
const wgan = await animeGanQuality("wgan-gp-anime", args)
const dcgan = await animeGanQuality("dcgan-anime", args)
const results = [
  check("wgan-gp wall seconds", wgan.run.wallSeconds, wgan.run.wallSeconds <= 600, "<= 600 on 2 cores (first run)"),
  check("clarity ratio wgan-gp / dcgan", wgan.sharpness / wgan.realSharpness / (dcgan.sharpness / dcgan.realSharpness), wgan.sharpness / wgan.realSharpness >= dcgan.sharpness / dcgan.realSharpness, ">= 1 (each over its real faces)"),
  check("FID gap wgan-gp / dcgan", wgan.metrics["fid-gap"]! / dcgan.metrics["fid-gap"]!, wgan.metrics["fid-gap"]! <= dcgan.metrics["fid-gap"]! * 1.1, "<= 1.1 (distance to each floor)"),
]
console.log(results.every(Boolean) ? "all bars met" : "some bars MISSED")
