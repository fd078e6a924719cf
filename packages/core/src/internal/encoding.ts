import type * as UrlParams from "@effect/platform/UrlParams"
import * as Either from "effect/Either"
import { isWellFormed } from "./json.js"

/**
 * Validates and encodes one path id. Refused: non-strings, empty or blank ids, whitespace anywhere, `/`, `\`, `?`,
 * `#`, `%` and the dot segments `.` and `..`: each could change which resource the path names. What passes is still
 * percent-encoded.
 *
 * @internal
 */
export const encodePathSegment = (value: unknown): Either.Either<string, string> => {
  if (typeof value !== "string") return Either.left(`must be a string, got ${value === null ? "null" : typeof value}`)
  if (value.length === 0) return Either.left("must not be empty")
  if (/\s/.test(value)) return Either.left("must not contain whitespace")
  if (/[/\\?#%]/.test(value)) {
    return Either.left(`must not contain '/', '\\', '?', '#' or '%': ${JSON.stringify(value)}`)
  }
  if (value === "." || value === "..") return Either.left(`must not be a dot segment: ${JSON.stringify(value)}`)
  if (value.length > 512) return Either.left("is too long")
  if (!isWellFormed(value)) {
    return Either.left("has a lone surrogate (not UTF-16 text), which cannot be percent-encoded")
  }
  return Either.right(encodeURIComponent(value))
}

const scalar = (value: unknown): string | undefined => {
  switch (typeof value) {
    case "string":
      return value
    case "number":
    case "bigint":
    case "boolean":
      return String(value)
    default:
      return value instanceof Date ? String(value.getTime()) : undefined
  }
}

/**
 * An encoded query object to url params: `null` and `undefined` dropped, `0` and `false` kept, arrays as repeated
 * keys (`email_address=a&email_address=b`), never `[]` or indexes.
 *
 * @internal
 */
export const toUrlParams = (encoded: unknown): UrlParams.UrlParams => {
  const out: Array<[string, string]> = []
  if (typeof encoded !== "object" || encoded === null) return out
  for (const [key, value] of Object.entries(encoded)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        const s = scalar(item)
        if (s !== undefined) out.push([key, s])
      }
    } else {
      const s = scalar(value)
      if (s !== undefined) out.push([key, s])
    }
  }
  return out
}
