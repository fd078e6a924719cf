/**
 * The one gate between a caller's values and `JSON.stringify`: a walk that either returns a plain copy JSON encodes
 * exactly as given, or says why it cannot (with the path to the offending value). Refused, where JSON would throw,
 * drop or change something: bigints, functions, symbols (as values or keys), non-finite numbers, `undefined` or holes
 * in arrays, cycles, nesting deeper than `maxDepth`, more than `maxNodes` values, objects that are not plain (a `Map`
 * would become `{}`), an own `__proto__` key (schema encoding and spreads drop it), and anything that throws when
 * read (getters, `toJSON`, proxies). `toJSON` is honoured as `JSON.stringify` honours it (a `Date` becomes its ISO
 * string; any object with a `toJSON` method is sent as what it returns) by calling it once; the copy holds its
 * result, so `JSON.stringify` never calls it again.
 *
 * @internal
 */
export const maxDepth = 512
const maxNodes = 1_000_000

class Refusal {
  constructor(readonly message: string) {}
}

/** @internal */
export const kindOf = (value: object): string => {
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return tag === "Object" ? "an instance of a class" : `a ${tag}`
}

const describeThrown = (thrown: unknown): string => {
  try {
    return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown
  } catch {
    return "an exception"
  }
}

/** @internal */
export const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * `mode: "copy"` returns the JSON-ready copy (`toJSON` applied); `"check"` only validates, keeping `Date`s as they
 * are (schemas encode them) and returning the value itself.
 *
 * @internal
 */
export const toJson = (
  value: unknown,
  mode: "copy" | "check" = "copy",
  root = "value"
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string } => {
  let nodes = 0
  const ancestors = new Set<object>()
  const walk = (current: unknown, path: string, depth: number): unknown => {
    if (++nodes > maxNodes) throw new Refusal(`has more than ${maxNodes} values`)
    switch (typeof current) {
      case "string":
      case "boolean":
        return current
      case "number":
        if (!Number.isFinite(current)) throw new Refusal(`${path} is ${current}, which JSON cannot represent`)
        return current
      case "undefined":
        throw new Refusal(`${path} is undefined, which JSON cannot represent`)
      case "bigint":
      case "symbol":
      case "function":
        throw new Refusal(`${path} is a ${typeof current}, which JSON cannot represent`)
    }
    if (current === null) return null
    if (typeof current !== "object") throw new Refusal(`${path} cannot be sent`)
    if (depth >= maxDepth) throw new Refusal(`${path} is nested deeper than ${maxDepth} levels`)
    if (ancestors.has(current)) throw new Refusal(`${path} refers back to itself (a cycle)`)
    if (current instanceof Date) {
      if (Number.isNaN(current.getTime())) throw new Refusal(`${path} is an invalid Date`)
      if (mode === "check") return current
    }
    const toJSON: unknown = Reflect.get(current, "toJSON")
    if (typeof toJSON === "function") {
      return walk(Reflect.apply(toJSON, current, [path.slice(path.lastIndexOf(".") + 1)]), path, depth + 1)
    }
    ancestors.add(current)
    try {
      if (Array.isArray(current)) {
        const out: Array<unknown> = []
        for (let i = 0; i < current.length; i++) {
          if (!(i in current)) throw new Refusal(`${path}[${i}] is a hole, which JSON would send as null`)
          out.push(walk(current[i], `${path}[${i}]`, depth + 1))
        }
        return mode === "copy" ? out : current
      }
      if (!isPlain(current)) throw new Refusal(`${path} is ${kindOf(current)}; only plain objects can be sent`)
      if (
        Object.getOwnPropertySymbols(current).some((key) => Object.prototype.propertyIsEnumerable.call(current, key))
      ) {
        throw new Refusal(`${path} has a symbol key, which JSON would drop`)
      }
      const entries: Array<[string, unknown]> = []
      for (const key of Object.keys(current)) {
        // an own `__proto__` (from JSON.parse) is dropped by schema encoding and by any `{ ...copy }`: refused
        if (key === "__proto__") throw new Refusal(`${path} has an own "__proto__" key, which cannot be sent`)
        const item: unknown = Reflect.get(current, key)
        // an absent and an undefined property mean the same; JSON leaves both out
        if (item !== undefined) entries.push([key, walk(item, `${path}.${key}`, depth + 1)])
      }
      return mode === "copy" ? Object.fromEntries(entries) : current
    } finally {
      ancestors.delete(current)
    }
  }
  try {
    return { ok: true, value: walk(value, root, 0) }
  } catch (thrown) {
    if (thrown instanceof Refusal) return { ok: false, message: thrown.message }
    return { ok: false, message: `could not be read (${describeThrown(thrown)})` }
  }
}

/**
 * True when a string has no lone surrogate: such a string cannot be percent-encoded (`encodeURIComponent` throws)
 * and URL query encoding would silently replace it with U+FFFD.
 *
 * @internal
 */
export const isWellFormed = (text: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
