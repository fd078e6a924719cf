import type { MetadataObject } from "./state.js"

const forbidden = new Set(["__proto__", "constructor", "prototype"])

const isPlainObject = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A copy of JSON metadata without the keys that could pollute prototypes (`__proto__`, `constructor`,
 * `prototype`), at any depth. Objects are created with a null prototype and copied to plain ones.
 *
 * @internal
 */
export const sanitizeMetadata = (value: { readonly [key: string]: unknown }): MetadataObject => {
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean)
    if (!isPlainObject(v)) return v
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(v)) {
      if (forbidden.has(key)) continue
      Object.defineProperty(out, key, { value: clean(inner), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  const result = clean(value)
  return isPlainObject(result) ? result : {}
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
    const current = out[key]
    const next = isPlainObject(value) && isPlainObject(current)
      ? deepMerge(current, value)
      : isPlainObject(value)
      ? sanitizeMetadata(value)
      : value
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true })
  }
  return out
}
