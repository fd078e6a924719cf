import type * as HttpClientError from "@effect/platform/HttpClientError"
import { ResponseError } from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Utf8Text } from "./utf8.js"

/**
 * The body went past the cap. `bytes` is, by `how`: `"stopped"`, the bytes read (after decompression) when reading
 * stopped, the chunk that passed the cap included; `"whole"`, the UTF-8 size of the text a transport handed over
 * whole (what was read, re-encoded: exact for valid UTF-8); `"declared"`, the `Content-Length`, nothing read.
 *
 * @internal
 */
export class TooLarge extends Data.TaggedError("TooLarge")<{
  readonly limit: number
  readonly bytes: number
  readonly how: "stopped" | "whole" | "declared"
}> {}

/**
 * Reads a response body as UTF-8 text, at most `limit` bytes of it (counted after the transport's decompression, so a
 * gzip bomb is stopped too). Past the cap it fails with `TooLarge` at once: reading stops and the transport's body is
 * cancelled (fetch's reader) or destroyed (undici, node:http), so nothing more is read. A declared `Content-Length`
 * over the cap (of a body without `Content-Encoding`) fails before reading anything. A declared length under `LARGE`
 * is read whole (the transport reads no more than it), straight from the transport's own body (a web `Response`'s
 * `text()`, undici's `body.text()`) where there is one: one promise, the fastest for a user or a short page. Larger
 * bodies, and bodies of undeclared length under a finite cap, are read chunk by chunk from the transport's body (a
 * web body's own reader; the `Readable` of undici and node:http; for an undeclared length, else the platform's
 * stream) into `Utf8Text`, which gives `Response.text()`'s string without the large allocations of concatenating and
 * decoding the whole body. A large declared body of any other kind (a `Response` subclass, ClerkTest's in-process
 * response) is read with its own `text()`, which may have the text already.
 * A `Content-Length` counts only if it is digits; a custom transport may hand over more than it declares, so a text
 * read whole is checked against the cap too (`checked`), and must be a string. Every path drops one leading BOM.
 * `headers` are the response's (`response.headers` builds them anew on every read).
 *
 * @internal
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  headers: Readonly<Record<string, string | undefined>> = response.headers
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  const declared = headers["content-encoding"] === undefined ? lengthOf(headers["content-length"]) : Number.NaN
  if (Number.isFinite(declared)) {
    if (declared > limit) return Effect.fail(new TooLarge({ limit, bytes: declared, how: "declared" }))
    // fetch, undici and node:http read no more than a declared length; a custom transport may not: the text is
    // checked against the cap
    if (declared < LARGE) return wholeText(response, limit)
  } else if (!Number.isFinite(limit)) {
    return wholeText(response, limit)
  }
  const source = sourceOf(response)
  if (source instanceof Response) {
    // a subclass may answer text() without making bytes (the emulator's in-process responses do)
    if (Number.isFinite(declared) && Object.getPrototypeOf(source) !== Response.prototype) {
      return wholeText(response, limit)
    }
    // (the platform's stream over a used body would die getting its reader)
    if (source.bodyUsed) return failed(response, new TypeError("the response body was already read"))
    return readWeb(response, source.body, limit)
  }
  const readable = readableOf(source)
  if (readable !== undefined) return readNode(response, readable, limit)
  // a declared length within the cap, on a response of its own kind (ClerkTest's holds the text): its own text
  if (Number.isFinite(declared)) return wholeText(response, limit)
  return Effect.suspend(() => {
    const text = new Utf8Text()
    return response.stream.pipe(
      Stream.mapError(described),
      Stream.runForEach((chunk: unknown): Effect.Effect<void, TooLarge | HttpClientError.ResponseError> => {
        if (!(chunk instanceof Uint8Array)) return notBytes(response)
        const read = text.read + chunk.length
        if (read > limit) return Effect.fail(new TooLarge({ limit, bytes: read, how: "stopped" }))
        text.push(chunk)
        return Effect.void
      }),
      Effect.map(() => text.end())
    )
  })
}

/**
 * The declared length from which a body is read chunk by chunk (`Utf8Text`) rather than with one `text()`. Measured
 * here with `JSON.parse` after (canned `Response`s, `bench/bodies.ts`'s machine): at 3 KB and 25 KB the two are
 * within noise of each other; from ~128 KB on the reader wins (126 KB: ~0.5 against ~0.8 ms; the 1.6 MB page: ~16
 * against ~28 ms), as `text()`'s large strings start to cost fresh pages.
 *
 * @internal
 */
export const LARGE = 64 * 1024

/**
 * A `Content-Length` as HTTP defines it (digits only), or `NaN` (undeclared) for anything else: `Number()` would read
 * `""` as 0 and `"0x10"` as 16.
 */
const lengthOf = (value: string | undefined): number => {
  if (value === undefined || value.length === 0 || value.length > 15) return Number.NaN
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x30 || code > 0x39) return Number.NaN
  }
  return Number(value)
}

/**
 * The whole body as text, at most `limit` bytes of it. From the transport's own body where the platform response
 * wraps one (a web `Response`: fetch; undici's `ResponseData`, whose `body` has `text()`): one promise, where
 * `response.text` builds a cached effect per response (an `Effect.cached` run per call). Anything else:
 * `response.text`. Whatever the source, the result is checked (`checked`): a string, within the cap, one leading BOM
 * dropped.
 */
const wholeText = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  const source = sourceOf(response)
  let text: (() => unknown) | undefined
  if (source instanceof Response) {
    if (!source.bodyUsed) text = () => source.text()
  } else {
    const body = undiciBody(source)
    if (typeof body === "object" && body !== null && "text" in body && typeof body.text === "function") {
      const read = body.text
      text = () => Reflect.apply(read, body, [])
    }
  }
  // node:http's text is `Buffer`'s UTF-8, which keeps a BOM (fetch's and undici's drop one)
  if (text === undefined) {
    return Effect.flatMap(
      Effect.mapError(response.text, described),
      (value: unknown) => checked(response, limit, value, true)
    )
  }
  const run = text
  return Effect.async((resume) => {
    let promise: Promise<unknown>
    try {
      promise = Promise.resolve(run())
    } catch (cause) {
      return resume(failed(response, cause))
    }
    promise.then(
      (value) => resume(checked(response, limit, value, false)),
      (cause) => resume(failed(response, cause))
    )
  })
}

/**
 * A whole body's text as `readText` gives it, or why not: it must be a string (a `Response` subclass's `text()` may
 * give anything), within `limit` bytes, and (`bom`: from a source that keeps it) loses one leading BOM. A string of
 * `n` UTF-16 units was at least `n` bytes (every unit comes from one byte or more) and at most `3n + 3` (the BOM): the
 * count (`utf8Bytes`) is needed only between the two, which a body that a real transport read within a declared
 * length under `LARGE` reaches only under a cap below ~192 KB. A text refused is reported by its UTF-8 size.
 */
const checked = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  value: unknown,
  bom: boolean
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (typeof value !== "string") return failed(response, new TypeError("the response body's text() gave no string"))
  const text = bom && value.charCodeAt(0) === 0xfeff ? value.slice(1) : value
  // refused only if even the fewest bytes it can have come from are over; reported by its UTF-8 size
  if (text.length > limit || (3 * text.length + 3 > limit && utf8Bytes(text, 1) > limit)) {
    return Effect.fail(new TooLarge({ limit, bytes: utf8Bytes(text, 3), how: "whole" }))
  }
  return Effect.succeed(text)
}

/**
 * The UTF-8 length of `text` (a lone surrogate counted as the U+FFFD it encodes to), with each U+FFFD counted as
 * `replacement` bytes: 3, its size in UTF-8; 1, the fewest bytes it can have been decoded from (an invalid sequence
 * may have been one byte), which makes this the fewest bytes the text can have come from.
 */
const utf8Bytes = (text: string, replacement: 1 | 3): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code === 0xfffd) bytes += replacement
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** The transport's response under a platform response (`source`; `original.source` when wrapped for interruption). */
const sourceOf = (response: HttpClientResponse.HttpClientResponse): unknown => {
  let current: unknown = response
  if (typeof current === "object" && current !== null && "original" in current) current = current.original
  return typeof current === "object" && current !== null && "source" in current ? current.source : undefined
}

/**
 * A body that failed while being read: a `ResponseError` (the platform's only reason for it is "Decode") whose cause
 * is an `Error` saying what happened. A transport's stream may fail with anything (`controller.error()` gives
 * `undefined`): that value is kept as the cause of an `Error` saying the body failed while being read.
 */
const failed = (response: HttpClientResponse.HttpClientResponse, cause: unknown) =>
  Effect.fail(new ResponseError({ request: response.request, response, reason: "Decode", cause: readFailure(cause) }))

/** Only the kind of a non-`Error` is named (a string from a transport may quote anything, the key included). */
const readFailure = (cause: unknown): Error => {
  if (cause instanceof Error) return cause
  const kind = cause === undefined || cause === null
    ? String(cause)
    : typeof cause === "object"
    ? "an object"
    : `a ${typeof cause}`
  return new Error(`the response body failed while being read (with ${kind}, not an Error)`, { cause })
}

/** The platform's own read failures (its `text`, its `stream`) described as `failed` describes ours. */
const described = (error: HttpClientError.ResponseError): HttpClientError.ResponseError =>
  error.cause instanceof Error
    ? error
    : new ResponseError({
      request: error.request,
      response: error.response,
      reason: error.reason,
      cause: readFailure(error.cause)
    })

const notBytes = (response: HttpClientResponse.HttpClientResponse) =>
  failed(response, new TypeError("the response body gave a chunk that is not bytes"))

/**
 * A web body (fetch, the emulator's in-process client) read with its own reader: microseconds, where Effect's
 * `Stream` over it costs hundreds.
 */
const readWeb = (
  response: HttpClientResponse.HttpClientResponse,
  body: ReadableStream<Uint8Array> | null,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (body === null) return Effect.succeed("")
  return Effect.async((resume) => {
    let reader: ReadableStreamDefaultReader<Uint8Array>
    try {
      // throws if the body is locked (a custom transport took its reader)
      reader = body.getReader()
    } catch (cause) {
      return resume(failed(response, cause))
    }
    const text = new Utf8Text()
    const stop = () => {
      try {
        Promise.resolve(reader.cancel()).catch(ignore)
      } catch {
        // a reader of some other kind: nothing more to stop
      }
    }
    const onRead = (result: ReadableStreamReadResult<Uint8Array>): void => {
      if (result.done) return resume(Effect.sync(() => text.end()))
      const value: unknown = result.value
      if (!(value instanceof Uint8Array)) {
        stop()
        return resume(notBytes(response))
      }
      const read = text.read + value.length
      if (read > limit) {
        stop()
        return resume(Effect.fail(new TooLarge({ limit, bytes: read, how: "stopped" })))
      }
      text.push(value)
      pump()
    }
    const onFailure = (cause: unknown) => {
      stop()
      resume(failed(response, cause))
    }
    // a body of another kind (a subclass's) may throw anywhere: every throw is a `ResponseError`
    const pump = (): void => {
      try {
        reader.read().then((result) => {
          try {
            onRead(result)
          } catch (cause) {
            onFailure(cause)
          }
        }, onFailure)
      } catch (cause) {
        onFailure(cause)
      }
    }
    pump()
    // interrupted (a timeout, the caller): stop reading, which cancels the transport's body
    return Effect.sync(stop)
  })
}

/** What `readNode` uses of a Node `Readable` (undici's body, node:http's `IncomingMessage`). */
interface Readable {
  readonly on: (event: string, listener: (value: unknown) => void) => unknown
  readonly removeListener: (event: string, listener: (value: unknown) => void) => unknown
  readonly destroy: () => unknown
  readonly destroyed?: unknown
  readonly readableEnded?: unknown
}

const isReadable = (value: unknown): value is Readable =>
  typeof value === "object" && value !== null && "on" in value && typeof value.on === "function" &&
  "removeListener" in value && typeof value.removeListener === "function" && "destroy" in value &&
  typeof value.destroy === "function"

/** The Node `Readable` of the body: node:http's `IncomingMessage` itself, or undici's `ResponseData.body`. */
const readableOf = (source: unknown): Readable | undefined => {
  if (isReadable(source)) return source
  const body = undiciBody(source)
  return isReadable(body) ? body : undefined
}

/** undici's `ResponseData.body` (what the platform's undici client keeps as `source`). */
const undiciBody = (source: unknown): unknown =>
  typeof source === "object" && source !== null && "statusCode" in source && "body" in source
    ? source.body
    : undefined

/**
 * A Node `Readable` read through its events (what the platform's stream does too, without a channel and a promise
 * per chunk). It must end: an error, or closing before the end, is a `ResponseError`.
 */
const ignore = (_: unknown) => {}

const readNode = (
  response: HttpClientResponse.HttpClientResponse,
  body: Readable,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (body.destroyed === true || body.readableEnded === true) {
    return failed(response, new Error("the response body was already read or destroyed"))
  }
  return Effect.async((resume) => {
    const text = new Utf8Text()
    // an error after this read is over must not go unhandled (an `error` event without a listener throws)
    const detach = () => {
      body.on("error", ignore)
      body.removeListener("data", onData)
      body.removeListener("end", onEnd)
      body.removeListener("error", onError)
      body.removeListener("close", onClose)
    }
    const stop = (outcome: Effect.Effect<string, TooLarge | HttpClientError.ResponseError>) => {
      detach()
      body.destroy()
      resume(outcome)
    }
    const onData = (chunk: unknown) => {
      if (!(chunk instanceof Uint8Array)) {
        return stop(notBytes(response))
      }
      const read = text.read + chunk.length
      if (read > limit) return stop(Effect.fail(new TooLarge({ limit, bytes: read, how: "stopped" })))
      text.push(chunk)
    }
    const onEnd = () => {
      detach()
      resume(Effect.sync(() => text.end()))
    }
    const onError = (cause: unknown) => stop(failed(response, cause))
    const onClose = () => stop(failed(response, new Error("the response body closed before its end")))
    body.on("error", onError)
    body.on("close", onClose)
    body.on("end", onEnd)
    body.on("data", onData)
    // interrupted (a timeout, the caller): stop reading and drop the connection
    return Effect.sync(() => {
      detach()
      body.destroy()
    })
  })
}
