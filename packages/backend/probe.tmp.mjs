import { create, globals } from "webgpu"
const gpu = create([])
const a = await gpu.requestAdapter({ powerPreference: "high-performance" })
const i = a.info
console.log(i.vendor, "|", i.architecture, "|", i.device, "|", i.description, a.isFallbackAdapter, i.isFallbackAdapter)
