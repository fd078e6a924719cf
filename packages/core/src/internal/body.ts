import type * as HttpClientError from "@effect/platform/HttpClientError"
import { ResponseError } from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/**
 * The body went past the cap: `read` bytes were read (after decompression) when reading stopped.
 *
 * @internal
 */
export class TooLarge extends Data.TaggedError("TooLarge")<{ readonly limit: number; readonly read: number }> {}

/**
 * Reads a response body as UTF-8 text, at most `limit` bytes of it (counted after the transport's decompression, so a
 * gzip bomb is stopped too). Past the cap it fails with `TooLarge` at once: the stream is interrupted, which cancels
 * the underlying reader (fetch) or destroys the socket's stream (undici, node:http), so nothing more is read. A
 * declared `Content-Length` over the cap (of a body without `Content-Encoding`) fails before reading anything; one
 * within it is read whole (the transport reads no more than it), straight from the transport's own body (a web
 * `Response`'s `text()`, undici's `body.text()`) where there is one. A web body of undeclared length (fetch) is read
 * with its own reader. `headers` are the response's (`response.headers` builds them anew on every read).
 *
 * @internal
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  headers: Readonly<Record<string, string | undefined>> = response.headers
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (!Number.isFinite(limit)) return wholeText(response)
  const declared = Number(headers["content-length"] ?? Number.NaN)
  if (headers["content-encoding"] === undefined && Number.isFinite(declared)) {
    if (declared > limit) return Effect.fail(new TooLarge({ limit, read: 0 }))
    // fetch, undici and node:http read no more than a declared length: the whole text is within the cap
    return wholeText(response)
  }
  const web = webBody(response)
  if (web !== undefined) return readWeb(response, web, limit)
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let read = 0
    return response.stream.pipe(
      Stream.runForEach((chunk) => {
        read += chunk.length
        if (read > limit) return Effect.fail(new TooLarge({ limit, read }))
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.map(() => decode(chunks, read))
    )
  })
}

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
  } else if (typeof source === "object" && source !== null && "statusCode" in source && "body" in source) {
    const body: unknown = source.body
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

const utf8 = new TextDecoder()

const decode = (chunks: ReadonlyArray<Uint8Array>, read: number): string => {
  if (chunks.length === 1) return utf8.decode(chunks[0])
  const bytes = new Uint8Array(read)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return utf8.decode(bytes)
}

/**
 * The web `ReadableStream` under a response made from a web `Response` (fetch, the emulator's in-process client),
 * if there is one: reading it with its own reader costs microseconds, where Effect's `Stream` over it costs
 * hundreds. The platform keeps the `Response` as `source` (and wraps it as `original` for interruption); anything
 * else goes through `response.stream`.
 */
const webBody = (response: HttpClientResponse.HttpClientResponse): ReadableStream<Uint8Array> | null | undefined => {
  const source = sourceOf(response)
  return source instanceof Response && !source.bodyUsed ? source.body : undefined
}

const readWeb = (
  response: HttpClientResponse.HttpClientResponse,
  body: ReadableStream<Uint8Array> | null,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (body === null) return Effect.succeed("")
  return Effect.async((resume) => {
    const reader = body.getReader()
    const chunks: Array<Uint8Array> = []
    let read = 0
    const stop = () => reader.cancel().catch(() => undefined)
    const failed = (cause: unknown) =>
      resume(Effect.fail(new ResponseError({ request: response.request, response, reason: "Decode", cause })))
    const pump = (): void => {
      reader.read().then(({ done, value }) => {
        if (done) return resume(Effect.succeed(decode(chunks, read)))
        read += value.length
        if (read > limit) {
          stop()
          return resume(Effect.fail(new TooLarge({ limit, read })))
        }
        chunks.push(value)
        pump()
      }, failed)
    }
    pump()
    // interrupted (a timeout, the caller): stop reading, which cancels the transport's body
    return Effect.sync(stop)
  })
}
