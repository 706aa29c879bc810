import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"

/** Files the reports show as pictures. */
export const PICTURE_FILE = /\.(png|gif|svg|jpe?g|webp)$/i

/** Every file under a stage's output folder, as sorted paths relative to it (`samples/step-000100.png`); [] if absent. */
export const listOutputFiles = (dir: string, prefix = ""): string[] => {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => (d.isDirectory() ? listOutputFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]))
}
