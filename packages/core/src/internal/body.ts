import type * as HttpClientError from "@effect/platform/HttpClientError"
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
 * declared `Content-Length` over the cap (of a body without `Content-Encoding`) fails before reading anything.
 *
 * @internal
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (!Number.isFinite(limit)) return response.text
  const declared = Number(response.headers["content-length"] ?? Number.NaN)
  if (response.headers["content-encoding"] === undefined && Number.isFinite(declared) && declared > limit) {
    return Effect.fail(new TooLarge({ limit, read: 0 }))
  }
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
      Effect.map(() => {
        const bytes = new Uint8Array(read)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.length
        }
        return new TextDecoder().decode(bytes)
      })
    )
  })
}
