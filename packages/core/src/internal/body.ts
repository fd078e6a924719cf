import type * as HttpClientError from "@effect/platform/HttpClientError"
import { ResponseError } from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Utf8Text } from "./utf8.js"

/**
 * The body went past the cap: `read` bytes were read (after decompression) when reading stopped.
 *
 * @internal
 */
export class TooLarge extends Data.TaggedError("TooLarge")<{ readonly limit: number; readonly read: number }> {}

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
 * `headers` are the response's (`response.headers` builds them anew on every read).
 *
 * @internal
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  headers: Readonly<Record<string, string | undefined>> = response.headers
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  const declared = headers["content-encoding"] === undefined
    ? Number(headers["content-length"] ?? Number.NaN)
    : Number.NaN
  if (Number.isFinite(declared)) {
    if (declared > limit) return Effect.fail(new TooLarge({ limit, read: 0 }))
    // fetch, undici and node:http read no more than a declared length: the whole text is within the cap
    if (declared < LARGE) return wholeText(response)
  } else if (!Number.isFinite(limit)) {
    return wholeText(response)
  }
  const source = sourceOf(response)
  if (source instanceof Response && !source.bodyUsed) {
    // a subclass may answer text() without making bytes (the emulator's in-process responses do)
    if (Number.isFinite(declared) && Object.getPrototypeOf(source) !== Response.prototype) return wholeText(response)
    return readWeb(response, source.body, limit)
  }
  const readable = readableOf(source)
  if (readable !== undefined) return readNode(response, readable, limit)
  // a declared length within the cap, on a response of its own kind (ClerkTest's holds the text): its own text
  if (Number.isFinite(declared)) return wholeText(response)
  return Effect.suspend(() => {
    const text = new Utf8Text()
    return response.stream.pipe(
      Stream.runForEach((chunk) => {
        const read = text.read + chunk.length
        if (read > limit) return Effect.fail(new TooLarge({ limit, read }))
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
 * The whole body as text. From the transport's own body where the platform response wraps one (a web `Response`:
 * fetch; undici's `ResponseData`, whose `body` has `text()`): one promise, where `response.text` builds a cached
 * effect per response (an `Effect.cached` run per call). Anything else: `response.text`.
 */
const wholeText = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<string, HttpClientError.ResponseError> => {
  const source = sourceOf(response)
  let text: (() => Promise<string>) | undefined
  if (source instanceof Response) {
    if (!source.bodyUsed) text = () => source.text()
  } else {
    const body = undiciBody(source)
    if (typeof body === "object" && body !== null && "text" in body && typeof body.text === "function") {
      const read = body.text
      text = async () => {
        const value: unknown = await Reflect.apply(read, body, [])
        if (typeof value !== "string") throw new TypeError("the response body's text() gave no string")
        return value
      }
    }
  }
  if (text === undefined) return response.text
  const run = text
  return Effect.tryPromise({
    try: () => run(),
    catch: (cause) => new ResponseError({ request: response.request, response, reason: "Decode", cause })
  })
}

/** The transport's response under a platform response (`source`; `original.source` when wrapped for interruption). */
const sourceOf = (response: HttpClientResponse.HttpClientResponse): unknown => {
  let current: unknown = response
  if (typeof current === "object" && current !== null && "original" in current) current = current.original
  return typeof current === "object" && current !== null && "source" in current ? current.source : undefined
}

const failed = (response: HttpClientResponse.HttpClientResponse, cause: unknown) =>
  Effect.fail(new ResponseError({ request: response.request, response, reason: "Decode", cause }))

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
    const reader = body.getReader()
    const text = new Utf8Text()
    const stop = () => reader.cancel().catch(() => undefined)
    const pump = (): void => {
      reader.read().then(({ done, value }) => {
        if (done) return resume(Effect.sync(() => text.end()))
        if (!(value instanceof Uint8Array)) {
          stop()
          return resume(notBytes(response))
        }
        const read = text.read + value.length
        if (read > limit) {
          stop()
          return resume(Effect.fail(new TooLarge({ limit, read })))
        }
        text.push(value)
        pump()
      }, (cause) => resume(failed(response, cause)))
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
      if (read > limit) return stop(Effect.fail(new TooLarge({ limit, read })))
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
