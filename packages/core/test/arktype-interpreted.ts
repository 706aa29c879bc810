// Imported first by params-interpreted.test.ts: arktype interprets its types, as in the bundled CLI.
import { configure } from "arktype/config"
configure({ jitless: true })
