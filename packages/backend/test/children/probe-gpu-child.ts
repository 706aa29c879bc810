// Probes for a GPU adapter the way backend selection does and prints whether one was found.
import { findGpuAdapter } from "../../src/probes/web-gpu-adapter.ts"

const search = await findGpuAdapter()
process.stdout.write(`${JSON.stringify({ found: search.found })}\n`)
process.exit(0)
