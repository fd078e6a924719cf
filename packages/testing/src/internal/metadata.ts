import type { MetadataObject } from "./state.js"

const forbidden = new Set(["__proto__", "constructor", "prototype"])

const isPlainObject = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A copy of JSON metadata without the keys that could pollute prototypes (`__proto__`, `constructor`,
 * `prototype`), at any depth. Iterative (an explicit stack), so no nesting depth overflows the call stack.
 *
 * @internal
 */
export const sanitizeMetadata = (value: { readonly [key: string]: unknown }): MetadataObject => {
  const copy = (v: unknown): unknown => (Array.isArray(v) ? new Array(v.length) : isPlainObject(v) ? {} : v)
  const root = copy(value)
  const stack: Array<readonly [source: unknown, target: unknown]> = [[value, root]]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [source, target] = item
    const entries: Array<readonly [string | number, unknown]> = Array.isArray(source)
      ? source.map((inner, i) => [i, inner] as const)
      : Object.entries(source as object).filter(([key]) => !forbidden.has(key))
    for (const [key, inner] of entries) {
      const next = copy(inner)
      Object.defineProperty(target, key, { value: next, enumerable: true, writable: true, configurable: true })
      if (next !== inner) stack.push([inner, next])
    }
  }
  return isPlainObject(root) ? root : {}
}

/**
 * Whether `JSON.stringify(value)` would be longer than `max` characters, found without serializing and without
 * recursion (so 100,000 levels of nesting answer `true` instead of overflowing the stack). For JSON values.
 *
 * @internal
 */
export const exceedsJsonSize = (value: unknown, max: number): boolean => {
  let size = 0
  const stack: Array<unknown> = [value]
  for (let item = stack.pop(); item !== undefined || stack.length > 0; item = stack.pop()) {
    if (Array.isArray(item)) {
      size += 2 + Math.max(0, item.length - 1)
      for (const inner of item) stack.push(inner === undefined ? null : inner)
    } else if (isPlainObject(item)) {
      const entries = Object.entries(item).filter(([, inner]) => inner !== undefined)
      size += 2 + Math.max(0, entries.length - 1)
      for (const [key, inner] of entries) {
        size += JSON.stringify(key).length + 1
        stack.push(inner)
      }
    } else {
      size += (JSON.stringify(item) ?? "null").length
    }
    if (size > max) return true
  }
  return false
}

/**
 * Clerk's metadata merge: objects merge recursively, a `null` value deletes the key, anything else (arrays
 * included) replaces. Prototype-polluting keys are ignored.
 *
 * @internal
 */
export const deepMerge = (
  target: { readonly [key: string]: unknown },
  patch: { readonly [key: string]: unknown }
): MetadataObject => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(target)) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  for (const [key, value] of Object.entries(patch)) {
    if (forbidden.has(key)) continue
    if (value === null) {
      delete out[key]
      continue
    }
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    const next = isPlainObject(value) && isPlainObject(current)
      ? deepMerge(current, value)
      : isPlainObject(value)
      ? sanitizeMetadata(value)
      : value
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * Where a value stops being JSON that reads back as given, or `undefined`: the path (`x.y[2]`, from the root) and
 * what is there. Refused: a non-finite number (`JSON.parse` reads `1e400` as `Infinity`, which `JSON.stringify`
 * writes as `null`; Clerk, in Go, refuses a number past float64), a bigint, function or symbol, an `undefined` array
 * item, an object that is not plain (a `Date` or a `Map` would be kept as `{}`). An `undefined` property is an absent
 * one. Iterative (no nesting depth overflows the stack); an object met again is not walked again, so a cycle ends.
 *
 * @internal
 */
export const notJsonAt = (value: unknown): { readonly path: string; readonly what: string } | undefined => {
  // each entry: the value, its key and the index of its parent entry (the path is built only for the one refused)
  const entries: Array<readonly [value: unknown, key: string | number | undefined, parent: number]> = [
    [value, undefined, -1]
  ]
  const seen = new Set<object>()
  const pathOf = (index: number) => {
    const keys: Array<string | number> = []
    for (let i = index; i > 0; i = entries[i]![2]) keys.push(entries[i]![1]!)
    return keys.reverse().map((key, n) => typeof key === "number" ? `[${key}]` : n === 0 ? key : `.${key}`).join("")
  }
  const what = (v: unknown): string | undefined => {
    switch (typeof v) {
      case "number":
        return Number.isFinite(v) ? undefined : `${v}, a number out of range (past ±${Number.MAX_VALUE})`
      case "bigint":
      case "function":
      case "symbol":
        return `a ${typeof v}`
      case "object": {
        if (v === null || Array.isArray(v)) return undefined
        const proto: unknown = Object.getPrototypeOf(v)
        return proto === Object.prototype || proto === null
          ? undefined
          : `${Object.prototype.toString.call(v).slice(8, -1)}, not a plain object`
      }
      default:
        return undefined
    }
  }
  for (let i = 0; i < entries.length; i++) {
    const current = entries[i]![0]
    const problem = what(current)
    if (problem !== undefined) return { path: pathOf(i), what: problem }
    if (typeof current !== "object" || current === null || seen.has(current)) continue
    seen.add(current)
    if (Array.isArray(current)) {
      for (let k = 0; k < current.length; k++) {
        const item: unknown = current[k]
        if (item === undefined) return { path: `${pathOf(i)}[${k}]`, what: "undefined (an array item)" }
        entries.push([item, k, i])
      }
    } else {
      for (const [key, item] of Object.entries(current)) if (item !== undefined) entries.push([item, key, i])
    }
  }
  return undefined
}
