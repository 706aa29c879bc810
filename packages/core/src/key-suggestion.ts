/**
 * "Did you mean …?" for unknown param keys: the keys a params schema declares at a path (read from its JSON
 * schema, following the union branch the data selects), the one closest to a misspelt key, and the nested key a
 * key given one level too high names (`resolution` -> `model.options.resolution`).
 */

/** The subset of JSON Schema that arktype emits for params objects, arrays and discriminated unions. */
interface JsonSchemaNode {
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>
  readonly items?: JsonSchemaNode
  readonly anyOf?: ReadonlyArray<JsonSchemaNode>
  readonly allOf?: ReadonlyArray<JsonSchemaNode>
  readonly const?: unknown
}

/**
 * Optimal-string-alignment edit distance (insertions, deletions, substitutions and swaps of two neighbours each
 * count 1), case-insensitive: `samplez`/`samples` 1, `titel`/`title` 1.
 */
export const editDistance = (a: string, b: string): number => {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[s.length]![t.length]!
}

/**
 * The candidate closest to `key`, when it is close enough to be what was meant: at most one edit for keys up to 5
 * characters, two up to 8, then a third of the length; ties give no suggestion. `undefined` when none is close.
 */
export const closestKey = (key: string, candidates: Iterable<string>): string | undefined => {
  const limit = key.length <= 5 ? 1 : key.length <= 8 ? 2 : Math.floor(key.length / 3)
  let best: string | undefined
  let bestDistance = Infinity
  let tie = false
  for (const c of candidates) {
    if (c === key) continue
    const distance = editDistance(key, c)
    if (distance < bestDistance) [best, bestDistance, tie] = [c, distance, false]
    else if (distance === bestDistance) tie = true
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined
}

/**
 * The keys `schema` (a JSON schema of params) declares for the object at `path` in `data`. A union is narrowed to
 * the branches whose constant-valued keys (e.g. `architecture: "dcgan"`) match the data; with none matching, every
 * branch counts.
 */
export const declaredKeysAt = (schema: unknown, path: ReadonlyArray<PropertyKey>, data: unknown): string[] =>
  [...new Set(nodesAt(schema, path, data).nodes.flatMap((n) => Object.keys(n.properties ?? {})))]

/**
 * The dotted paths of the keys declared inside the objects below the one at `path` (not its own keys), e.g.
 * `model.options.resolution` below the root of the trainer's params, following the union branches `data` selects.
 */
export const nestedKeyPathsAt = (schema: unknown, path: ReadonlyArray<PropertyKey>, data: unknown): string[] => {
  const out = new Set<string>()
  const walk = (nodes: ReadonlyArray<JsonSchemaNode>, value: unknown, prefix: string[]) => {
    if (prefix.length > 4) return
    for (const key of new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))) {
      const child = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
      const children = branchesOf(nodes.flatMap((n) => (n.properties?.[key] === undefined ? [] : [n.properties[key]])), child)
      if (prefix.length > 0) out.add([...prefix, key].join("."))
      walk(children, child, [...prefix, key])
    }
  }
  const at = nodesAt(schema, path, data)
  walk(at.nodes, at.value, [])
  return [...out]
}

/** The schema nodes (union branches fitting `data`) for the value at `path`, and that value. */
const nodesAt = (schema: unknown, path: ReadonlyArray<PropertyKey>, data: unknown): { nodes: JsonSchemaNode[]; value: unknown } => {
  let nodes = branchesOf([schema as JsonSchemaNode], data)
  let value = data
  for (const segment of path) {
    nodes = nodes.flatMap((n) => {
      const child = typeof segment === "number" ? n.items : n.properties?.[String(segment)]
      return child === undefined ? [] : [child]
    })
    value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[segment] : undefined
    nodes = branchesOf(nodes, value)
  }
  return { nodes, value }
}

/** Flattens `anyOf`/`allOf` into the branches that fit `value` (all of them when none fits). */
const branchesOf = (nodes: ReadonlyArray<JsonSchemaNode>, value: unknown): JsonSchemaNode[] => {
  const flat = nodes.flatMap(function expand(n: JsonSchemaNode): JsonSchemaNode[] {
    return n.anyOf !== undefined ? n.anyOf.flatMap(expand) : n.allOf !== undefined ? n.allOf.flatMap(expand) : [n]
  })
  const fitting = flat.filter((n) => constantsMatch(n, value))
  return fitting.length > 0 ? fitting : flat
}

/** Whether every constant-valued property of `node` (a discriminant such as `architecture`) has that value in `value`. */
const constantsMatch = (node: JsonSchemaNode, value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return node.properties === undefined
  return Object.entries(node.properties ?? {}).every(([k, p]) => p.const === undefined || p.const === (value as Record<string, unknown>)[k])
}
