/**
 * The private parts of `Webhooks`: reading the Standard Webhooks headers from whatever a server hands us, splitting
 * the signature list, comparing in constant time, and reading a request body under a size limit. Every function
 * here is total: no input makes it throw.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** @internal */
export type HeaderName = "svix-id" | "svix-timestamp" | "svix-signature"

/** @internal */
export type HeaderRead =
  | { readonly _tag: "Found"; readonly value: string }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Malformed"; readonly detail: string }

const isWebHeaders = (headers: object): headers is { get(name: string): string | null } =>
  "get" in headers && typeof headers.get === "function"

/** `an array`, `an object`, `a number`: what a header value that is not a string is, for a message. */
const describeType = (value: unknown): string => {
  if (Array.isArray(value)) return "an array"
  const type = typeof value
  return type === "object" ? "an object" : `a ${type}`
}

const fromValue = (value: unknown): HeaderRead => {
  if (value === undefined || value === null) return { _tag: "Missing" }
  if (typeof value !== "string") return { _tag: "Malformed", detail: `${describeType(value)}, not a string` }
  const trimmed = value.trim()
  return trimmed === "" ? { _tag: "Missing" } : { _tag: "Found", value: trimmed }
}

/**
 * One header, by its lowercase name, from a web `Headers`, the platform's `Headers` record, Node's
 * `IncomingHttpHeaders` or any record (keys matched case-insensitively). Values are trimmed, as
 * `@clerk/backend`'s `verifyWebhook` trims them; an empty value is missing; a value that is not a string is malformed.
 *
 * @internal
 */
export const readHeader = (headers: unknown, name: HeaderName): HeaderRead => {
  try {
    if (typeof headers !== "object" || headers === null) return { _tag: "Missing" }
    if (isWebHeaders(headers)) return fromValue(headers.get(name))
    const record = headers as Readonly<Record<string, unknown>>
    if (Object.hasOwn(record, name)) return fromValue(record[name])
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) return fromValue(record[key])
    }
    return { _tag: "Missing" }
  } catch {
    return { _tag: "Malformed", detail: "unreadable" }
  }
}

/**
 * The `v1` signatures of a `svix-signature` header: `version,base64` pairs separated by whitespace (Svix's form),
 * or by `", "` when a header sent twice was joined (web `Headers` joins repeated values with `", "`, Node with
 * `", "` too). A base64 signature never contains a comma or whitespace, so splitting on runs of whitespace and
 * dropping a trailing comma from each entry is unambiguous. Other versions (and entries without a comma) are
 * skipped, as the reference library skips them.
 *
 * @internal
 */
export const v1Signatures = (header: string): Array<string> => {
  const out: Array<string> = []
  for (const raw of header.split(/\s+/)) {
    const entry = raw.endsWith(",") ? raw.slice(0, -1) : raw
    const comma = entry.indexOf(",")
    if (comma > 0 && entry.slice(0, comma) === "v1" && comma < entry.length - 1) out.push(entry.slice(comma + 1))
  }
  return out
}

/** How deep a webhook body may nest (arrays and objects); Clerk's events nest a handful of levels. @internal */
export const maxJsonDepth = 256

/**
 * Whether JSON text nests deeper than `max` levels, scanned iteratively (strings skipped, escapes honoured), so a
 * body nested a million deep is refused before any recursive step (decoding, formatting) can overflow the stack.
 *
 * @internal
 */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > max) return true
    } else if (c === 93 || c === 125) depth--
  }
  return false
}

/**
 * A signing secret as Standard Webhooks takes it: surrounding whitespace trimmed (a secret read from a file or an
 * env var often ends with a newline), an optional `whsec_` prefix (Clerk shows it; Svix and `standardwebhooks`
 * accept the bare base64 too), then canonical base64 (padded) of at least `minSecretBytes` bytes.
 * Returns the trimmed secret, or why it is refused (never the secret itself).
 *
 * @internal
 */
export const checkSecret = (
  value: unknown
): { readonly _tag: "Valid"; readonly secret: string } | { readonly _tag: "Invalid"; readonly reason: string } => {
  if (typeof value !== "string") return { _tag: "Invalid", reason: "the signing secret is not a string" }
  const secret = value.trim()
  const base64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret
  if (base64.length === 0 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    return { _tag: "Invalid", reason: "a signing secret is whsec_ (optional) followed by padded base64" }
  }
  const bytes = (base64.length / 4) * 3 - (base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0)
  if (bytes < minSecretBytes) {
    return {
      _tag: "Invalid",
      reason: `a signing secret's key is at least ${minSecretBytes} bytes (this one is ${bytes}; Clerk's are 24)`
    }
  }
  return { _tag: "Valid", secret }
}

/** The shortest signing key accepted, in bytes (Clerk and Svix generate 24). @internal */
export const minSecretBytes = 16

/**
 * String equality whose time depends on the lengths only, not on where the strings differ.
 *
 * @internal
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  let diff = a.length ^ b.length
  for (let i = 0; i < a.length; i++) {
    diff |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(b.length, 1))
  }
  return diff === 0
}

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true })

/**
 * The body as the text that was signed: strings as they are, bytes as UTF-8 (invalid sequences replaced, so their
 * signature cannot match). `undefined` for anything else.
 *
 * @internal
 */
export const bodyText = (body: unknown): string | undefined => {
  if (typeof body === "string") return body
  try {
    if (body instanceof Uint8Array) return decoder.decode(body)
    if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body))
  } catch {
    // a Proxy whose prototype cannot be read (revoked, a throwing trap), or bytes that cannot be read
  }
  return undefined
}

/**
 * One field of an options object a caller passed, read once and guarded: `Unreadable` when reading throws (a
 * revoked Proxy, a throwing getter or trap); `undefined` for absent options.
 *
 * @internal
 */
export const readField = (
  options: unknown,
  key: string
): { readonly _tag: "Read"; readonly value: unknown } | { readonly _tag: "Unreadable" } => {
  if (options === undefined || options === null) return { _tag: "Read", value: undefined }
  try {
    return { _tag: "Read", value: Reflect.get(Object(options), key) }
  } catch {
    return { _tag: "Unreadable" }
  }
}

/**
 * `Svix`'s timestamp header: whole seconds since the epoch, digits only (at most 12, which is the year 33658).
 *
 * @internal
 */
export const parseTimestamp = (text: string): number | undefined => /^\d{1,12}$/.test(text) ? Number(text) : undefined

/** @internal */
export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`

/**
 * Why a request body could not be read.
 *
 * @internal
 */
export type BodyFailure =
  | { readonly _tag: "TooLarge"; readonly limit: number }
  | { readonly _tag: "Unreadable" }

/**
 * The whole body as bytes, refusing (without reading further) as soon as it passes `limit` bytes, whether the
 * `content-length` header announces it or the stream delivers it.
 *
 * @internal
 */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Uint8Array, BodyFailure> => {
  const tooLarge: BodyFailure = { _tag: "TooLarge", limit }
  const announced = request.headers["content-length"]
  if (announced !== undefined && /^\d+$/.test(announced) && Number(announced) > limit) return Effect.fail(tooLarge)
  // a web `Request` without a body has no stream to read (the platform fails it): it is an empty body
  if (request.source instanceof Request && request.source.body === null) return Effect.succeed(new Uint8Array(0))
  return request.stream.pipe(
    Stream.mapError((): BodyFailure => ({ _tag: "Unreadable" })),
    Stream.runFoldEffect(
      { chunks: [] as Array<Uint8Array>, size: 0 },
      (acc, chunk) => {
        const size = acc.size + chunk.byteLength
        if (size > limit) return Effect.fail(tooLarge)
        acc.chunks.push(chunk)
        return Effect.succeed({ chunks: acc.chunks, size })
      }
    ),
    Effect.map(({ chunks, size }) => {
      const bytes = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.byteLength
      }
      return bytes
    }),
    Effect.catchAllDefect((): Effect.Effect<never, BodyFailure> => Effect.fail({ _tag: "Unreadable" }))
  )
}
