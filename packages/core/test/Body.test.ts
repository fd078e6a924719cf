/**
 * Reading a body chunk by chunk (`internal/utf8.ts`, `internal/body.ts`) gives exactly the string `Response.text()`
 * gives for the same bytes, however they are chunked: property tests against the runtime's own `Response`, then the
 * real transports (fetch, undici, node:http) on large bodies, with and without a declared length.
 */
import { ClerkClient, Endpoint, TransportError } from "@effect-clerk/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import { LARGE } from "../src/internal/body.js"
import { bufferLatin1, latin1Of, SLICE, Utf8Text } from "../src/internal/utf8.js"
import { getThing, secret } from "./fixtures.js"
import { serve, type Server } from "./server.js"

const utf8 = new TextEncoder()
const BOM = "\ufeff"
const bytesOf = (...parts: ReadonlyArray<ReadonlyArray<number> | Uint8Array>): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Pieces of bytes: ASCII, valid UTF-8 of any code point, BOMs, and the invalid sequences a decoder must replace. */
const piece = FastCheck.oneof(
  FastCheck.string({ maxLength: 12 }).map((s) => utf8.encode(s)),
  FastCheck.string({ unit: "binary", maxLength: 6 }).map((s) => utf8.encode(s)),
  FastCheck.constant(Uint8Array.of(0xef, 0xbb, 0xbf)),
  FastCheck.constantFrom(
    [0x80],
    [0xbf],
    [0xc0, 0x80], // overlong
    [0xc2], // truncated 2-byte
    [0xe2, 0x82], // truncated 3-byte
    [0xf0, 0x9f, 0x98], // truncated 4-byte
    [0xed, 0xa0, 0x80], // a surrogate
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xf5],
    [0xff],
    [0xe0, 0x80, 0x80]
  ).map((xs) => Uint8Array.from(xs)),
  FastCheck.uint8Array({ maxLength: 8 })
)

const body = FastCheck.tuple(FastCheck.boolean(), FastCheck.array(piece, { maxLength: 40 })).map(([bom, pieces]) =>
  bytesOf(bom ? [0xef, 0xbb, 0xbf] : [], ...pieces)
)

/** Cuts `bytes` at the given points (sorted, any repeated: empty chunks too). */
const chunked = (bytes: Uint8Array, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const points = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b)
  const chunks: Array<Uint8Array> = []
  let start = 0
  for (const point of points) {
    chunks.push(bytes.subarray(start, point))
    start = point
  }
  chunks.push(bytes.subarray(start))
  return chunks
}

/** What `Utf8Text` makes of the chunks, with the runtime's `Buffer` (latin1 for ASCII) and without one (a rope). */
const both = (chunks: ReadonlyArray<Uint8Array>): [string, string] => {
  const withBuffer = new Utf8Text()
  const decoded = new Utf8Text(null)
  for (const chunk of chunks) {
    withBuffer.push(chunk)
    decoded.push(chunk)
  }
  return [withBuffer.end(), decoded.end()]
}

/**
 * `Response.text()` of the bytes, as the Encoding standard's "UTF-8 decode" defines it: one leading BOM dropped.
 * Node's `Response` (undici's `utf8DecodeBytes`) drops a BOM and then decodes with a `TextDecoder` that drops another,
 * so for bytes starting with two BOMs the second is put back; undici's `body.text()` and browsers drop one.
 */
const responseText = async (bytes: Uint8Array<ArrayBuffer>): Promise<string> => {
  const text = await new Response(bytes).text()
  const bom = (at: number) => bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf
  return bom(0) && bom(3) ? BOM + text : text
}

const expectSame = async (bytes: Uint8Array<ArrayBuffer>, cuts: ReadonlyArray<number>) => {
  const expected = await responseText(bytes)
  const [withBuffer, decoded] = both(chunked(bytes, cuts))
  expect(withBuffer).toBe(expected)
  expect(decoded).toBe(expected)
}

describe("Utf8Text", () => {
  it("the runtime's Buffer makes the latin1 string (Node); a Buffer whose latin1Slice is not native does not", () => {
    expect(bufferLatin1).toBeDefined()
    expect(latin1Of(Buffer)).toBeDefined()
    class Polyfill {
      static from() {
        return new Uint8Array()
      }
      static allocUnsafe() {
        return new Uint8Array()
      }
      latin1Slice() {
        return ""
      }
    }
    expect(latin1Of(Polyfill)).toBeUndefined()
    expect(latin1Of(undefined)).toBeUndefined()
    expect(latin1Of({ from: Buffer.from, allocUnsafe: Buffer.allocUnsafe })).toBeUndefined()
  })

  it("is Response.text() for any bytes cut anywhere", async () => {
    await FastCheck.assert(
      FastCheck.asyncProperty(body, FastCheck.array(FastCheck.nat(), { maxLength: 8 }), expectSame),
      { numRuns: 500 }
    )
  })

  it("Buffer's latin1 string is made for ASCII bytes in any chunks (not left to the rope)", async () => {
    await FastCheck.assert(
      FastCheck.asyncProperty(body, FastCheck.array(FastCheck.nat(), { maxLength: 8 }), async (bytes, cuts) => {
        const ascii = bytes.map((byte) => byte & 0x7f)
        expect(bufferLatin1?.(chunked(ascii, cuts), ascii.length)).toBe(await responseText(ascii))
      }),
      { numRuns: 200 }
    )
  })

  it("is Response.text() around the slice boundary, in chunks larger than a slice", async () => {
    // ASCII up to a slice boundary (give or take 4 bytes), then any piece straddling it, then more
    await FastCheck.assert(
      FastCheck.asyncProperty(
        FastCheck.integer({ min: SLICE - 4, max: SLICE + 4 }),
        FastCheck.array(piece, { minLength: 1, maxLength: 6 }),
        FastCheck.boolean(),
        FastCheck.array(FastCheck.integer({ min: 0, max: 3 * SLICE }), { maxLength: 3 }),
        (before, pieces, twice, cuts) => {
          const pad = new Uint8Array(before).fill(0x61)
          const middle = bytesOf(...pieces)
          const bytes = twice ? bytesOf(pad, middle, pad, middle) : bytesOf(pad, middle, pad)
          return expectSame(bytes, cuts)
        }
      ),
      { numRuns: 100 }
    )
  })

  it("is Response.text() for large ASCII bodies in any chunks (one latin1 string through Buffer)", async () => {
    await FastCheck.assert(
      FastCheck.asyncProperty(
        FastCheck.integer({ min: 1, max: 3 * SLICE }),
        FastCheck.array(FastCheck.integer({ min: 0, max: 3 * SLICE }), { maxLength: 4 }),
        (length, cuts) => expectSame(new Uint8Array(length).map((_, i) => 0x20 + (i % 95)), cuts)
      ),
      { numRuns: 50 }
    )
  })

  it("drops one leading BOM, as the Encoding standard says (Node's Response.text() drops two)", async () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x7b, 0x7d)
    expect(both([bytes])).toEqual([`${BOM}{}`, `${BOM}{}`])
    expect(await new Response(bytes).text()).toBe("{}")
    expect(new TextDecoder().decode(bytes)).toBe(`${BOM}{}`)
  })

  it("counts the bytes pushed; no bytes is the empty string", () => {
    const text = new Utf8Text()
    expect(text.end()).toBe("")
    text.push(Uint8Array.of(0xef, 0xbb, 0xbf))
    text.push(utf8.encode("é"))
    expect(text.read).toBe(5)
    expect(text.end()).toBe("é")
  })
})

// ---------------------------------------------------------------------------------------------------------------

/** Writes `bytes` in pieces of `size`, each on its own turn of the event loop, so the client sees many chunks. */
const writeInPieces = (res: Http.ServerResponse, bytes: Uint8Array, size: number) => {
  let offset = 0
  const next = () => {
    if (res.destroyed) return
    if (offset >= bytes.length) return void res.end()
    res.write(bytes.subarray(offset, offset + size))
    offset += size
    setImmediate(next)
  }
  next()
}

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["fetch", FetchHttpClient.layer],
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layer]
]

const client = (apiUrl: string, http: Layer.Layer<HttpClient.HttpClient>, options: Partial<ClerkClient.Options> = {}) =>
  ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl, ...options }).pipe(Layer.provide(http))

/** A thing whose name is `size` characters: 4-byte, 3-byte and 2-byte characters among ASCII, or ASCII only. */
const bigName = (size: number, ascii: boolean) => {
  const unit = ascii ? "abcdefghij" : "ab😀c€dé𝄞f"
  return unit.repeat(Math.ceil(size / unit.length))
}

describe("large bodies over real transports", () => {
  let server: Server
  let stalled: Server
  let stalledClosed: Promise<void> = Promise.resolve()
  let cut: Server
  const bodies = new Map<string, Uint8Array>()
  beforeAll(async () => {
    for (const ascii of [true, false]) {
      const json = JSON.stringify({ id: `t_${ascii}`, first_name: bigName(LARGE * 3, ascii) })
      // the non-ASCII body starts with a BOM, which the text drops
      bodies.set(`${ascii}`, utf8.encode(ascii ? json : BOM + json))
    }
    // /things/{ascii}-{chunked}: chunked answers declare no length
    server = await serve((req, res) => {
      const [ascii, chunked] = (req.url ?? "").split("/").pop()!.split("-")
      const bytes = bodies.get(ascii!) ?? new Uint8Array()
      const headers: Record<string, string> = { "content-type": "application/json" }
      if (chunked !== "true") headers["content-length"] = String(bytes.length)
      res.writeHead(200, headers)
      writeInPieces(res, bytes, 7919)
    })
    stalled = await serve((_, res) => {
      stalledClosed = new Promise((resolve) => res.on("close", () => resolve()))
      res.writeHead(200, { "content-type": "application/json", "content-length": String(LARGE * 4) })
      res.write(`{"id":"t","first_name":"${"x".repeat(LARGE * 2)}`)
    })
    // half the declared length, then the connection is dropped
    cut = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(LARGE * 4) })
      res.write(`{"id":"t","first_name":"${"é".repeat(LARGE)}`, () => res.destroy())
    })
  })
  afterAll(async () => {
    await server.close()
    await stalled.close()
    await cut.close()
  })

  for (const [name, http] of transports) {
    for (const ascii of [true, false]) {
      for (const chunked of [false, true]) {
        const what = `${ascii ? "ASCII" : "non-ASCII (with a BOM)"} body of ${LARGE * 3 / 1024} KB${
          chunked ? " of undeclared length" : ""
        }`
        it.effect(`${name}: a ${what} is read exactly`, () =>
          Effect.gen(function*() {
            const thing = yield* Endpoint.call(getThing, { path: [`${ascii}-${chunked}`] })
            expect(thing.id).toBe(`t_${ascii}`)
            expect(thing.firstName).toBe(bigName(LARGE * 3, ascii))
          }).pipe(Effect.provide(client(server.url, http))))
      }
    }

    it.live(`${name}: a timeout while a large body is read drops the connection`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] }))
        expect(error instanceof TransportError && error.reason).toBe("Timeout")
        yield* Effect.promise(() => stalledClosed)
      }).pipe(Effect.provide(client(stalled.url, http, { timeout: "300 millis" }))))

    it.effect(`${name}: a large body cut short by the server is a TransportError`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] }))
        expect(error).toBeInstanceOf(TransportError)
        expect(error instanceof TransportError && error.reason).not.toBe("Timeout")
      }).pipe(Effect.provide(client(cut.url, http, { timeout: "1 minute" }))))

    it.effect(`${name}: a large body of undeclared length past the cap is TooLarge`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["false-true"] }))
        expect(error instanceof TransportError && error.reason).toBe("ResponseTooLarge")
      }).pipe(Effect.provide(client(server.url, http, { maxResponseBytes: LARGE }))))
  }
})

describe("a large canned body", () => {
  const canned = (web: () => Response) =>
    ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl: "https://clerk.test" }).pipe(
      Layer.provide(Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, web())))
      ))
    )

  it.effect("is read with the Response's own reader, exactly", () => {
    const name = bigName(LARGE * 2, false)
    const bytes = utf8.encode(JSON.stringify({ id: "t", first_name: name }))
    return Effect.gen(function*() {
      const thing = yield* Endpoint.call(getThing, { path: ["t"] })
      expect(thing.firstName).toBe(name)
    }).pipe(Effect.provide(canned(() => new Response(bytes, { headers: { "content-length": `${bytes.length}` } }))))
  })

  it.effect("a Response subclass is read with its own text() (the emulator's answer from its string)", () => {
    const name = bigName(LARGE * 2, true)
    const json = JSON.stringify({ id: "t", first_name: name })
    class TextResponse extends Response {
      override text() {
        return Promise.resolve(json)
      }
    }
    // its bytes are not the text: reading them would fail decoding
    const body = () =>
      new TextResponse(new Uint8Array(json.length).fill(0x7b), { headers: { "content-length": `${json.length}` } })
    return Effect.gen(function*() {
      const thing = yield* Endpoint.call(getThing, { path: ["t"] })
      expect(thing.firstName).toBe(name)
    }).pipe(Effect.provide(canned(body)))
  })

  it.effect("a stream of chunks that are not bytes fails typed", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] }))
      expect(error).toBeInstanceOf(TransportError)
    }).pipe(Effect.provide(canned(() =>
      new Response(
        new ReadableStream<string>({
          start(controller) {
            controller.enqueue("{}")
            controller.close()
          }
        }),
        { headers: { "content-length": `${LARGE}` } }
      )
    ))))
})

describe("whatever a custom transport hands over, the body is a string within the cap or a typed error", () => {
  const canned = (web: () => Response, maxResponseBytes = 1_000_000) =>
    ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl: "https://clerk.test", maxResponseBytes }).pipe(
      Layer.provide(Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, web())))
      ))
    )
  const failure = (web: () => Response, maxResponseBytes?: number) =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] }))
      expect(error).toBeInstanceOf(TransportError)
      return error instanceof TransportError ? error.reason : undefined
    }).pipe(Effect.provide(canned(web, maxResponseBytes)))
  const json = JSON.stringify({ id: "t", first_name: "Ada" })
  const huge = JSON.stringify({ id: "t", first_name: "x".repeat(2_000_000) })

  for (const length of [undefined, "100", `${LARGE + 10}`]) {
    it.effect(`a locked body (declared length ${length ?? "none"}) is a ResponseError`, () =>
      Effect.gen(function*() {
        const reason = yield* failure(() => {
          const response = new Response(json, length === undefined ? {} : { headers: { "content-length": length } })
          response.body!.getReader()
          return response
        })
        expect(reason).toBe("ResponseError")
      }))
  }

  it.effect("a body already being read (text() called, no declared length) is a ResponseError", () =>
    Effect.gen(function*() {
      const reason = yield* failure(() => {
        const response = new Response(json)
        void response.text()
        return response
      })
      expect(reason).toBe("ResponseError")
    }))

  for (const [what, value] of [["undefined", undefined], ["null", null], ["a string", "boom"], ["an object", {}]]) {
    for (const length of [undefined, "100", `${LARGE + 10}`]) {
      for (const maxResponseBytes of [1_000_000, Infinity]) {
        it.effect(
          `a body stream failing with ${what} (declared length ${
            length ?? "none"
          }, cap ${maxResponseBytes}) is a ResponseError saying so`,
          () =>
            Effect.gen(function*() {
              const body = () =>
                new ReadableStream<Uint8Array>({
                  start(controller) {
                    controller.enqueue(utf8.encode(`{"id":"t"`))
                    controller.error(value)
                  }
                })
              const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] })).pipe(
                Effect.provide(canned(
                  () => new Response(body(), length === undefined ? {} : { headers: { "content-length": length } }),
                  maxResponseBytes
                ))
              )
              expect(error).toBeInstanceOf(TransportError)
              expect(error).toMatchObject({ reason: "ResponseError" })
              // the platform's reason ("Decode") is no description of a body that failed while being read
              expect(error.message).toContain("reading the response failed: the response body failed while being read")
              expect(error.message).toContain(`(with ${what}, not an Error)`)
              expect(error.message).not.toContain("Decode")
            })
        )
      }
    }
  }

  for (const [what, value] of [["null", null], ["an object", {}], ["a number", 42]] as const) {
    for (const length of ["100", `${LARGE + 10}`]) {
      it.effect(`a Response subclass whose text() gives ${what} (declared ${length}) is a ResponseError`, () =>
        Effect.gen(function*() {
          class Odd extends Response {
            override text(): Promise<string> {
              return Promise.resolve(value as unknown as string)
            }
          }
          const reason = yield* failure(() => new Odd("{}", { headers: { "content-length": length } }))
          expect(reason).toBe("ResponseError")
        }))
    }
  }

  for (const length of ["100", "", " ", "0x10", "1e2", "+5", "-1", "1.5", `${LARGE + 10}`]) {
    it.effect(`a body past the cap declaring ${JSON.stringify(length)} is ResponseTooLarge`, () =>
      Effect.gen(function*() {
        const reason = yield* failure(() => new Response(huge, { headers: { "content-length": length } }))
        expect(reason).toBe("ResponseTooLarge")
      }))
  }

  it.effect("a Response subclass whose text() is past the cap is ResponseTooLarge, counted in UTF-8 bytes", () =>
    Effect.gen(function*() {
      const text = (value: string) =>
        class extends Response {
          override text() {
            return Promise.resolve(value)
          }
        }
      const Huge = text(huge)
      expect(yield* failure(() => new Huge("{}", { headers: { "content-length": `${LARGE + 10}` } }))).toBe(
        "ResponseTooLarge"
      )
      // 400,000 characters of 3 bytes: 1.2 MB, under the cap in UTF-16 units
      const Wide = text(JSON.stringify({ id: "t", first_name: "€".repeat(400_000) }))
      expect(yield* failure(() => new Wide("{}", { headers: { "content-length": "100" } }))).toBe("ResponseTooLarge")
    }))

  it.effect("ResponseTooLarge says how much was read: a text read whole by its UTF-8 size, a declared length as such", () =>
    Effect.gen(function*() {
      const tooLarge = (web: () => Response) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["t"] })).pipe(Effect.provide(canned(web)))
          expect(error).toMatchObject({ _tag: "TransportError", reason: "ResponseTooLarge" })
          return error.message
        })
      const textOf = (value: string) =>
        class extends Response {
          override text() {
            return Promise.resolve(value)
          }
        }
      // more UTF-16 units than the cap (so its length alone refuses it), three bytes each in UTF-8
      for (const text of [JSON.stringify({ id: "t", first_name: "€".repeat(1_100_000) }), huge]) {
        const Whole = textOf(text)
        const message = yield* tooLarge(() => new Whole("{}", { headers: { "content-length": "100" } }))
        expect(message).toContain(`read whole, is ${utf8.encode(text).length} bytes as UTF-8`)
        expect(message).not.toContain("reading stopped")
      }
      // between the cap and three times it: counted exactly too
      const wide = JSON.stringify({ id: "t", first_name: "€".repeat(400_000) })
      const Wide = textOf(wide)
      expect(yield* tooLarge(() => new Wide("{}", { headers: { "content-length": "100" } }))).toContain(
        `is ${utf8.encode(wide).length} bytes as UTF-8`
      )
      // refused on its declared length alone: nothing read
      const declared = yield* tooLarge(() => new Response(huge, { headers: { "content-length": "2000000" } }))
      expect(declared).toContain("declares 2000000 bytes")
      expect(declared).not.toContain("reading stopped")
      // read chunk by chunk: where reading stopped, past the cap
      const streamed = yield* tooLarge(() => new Response(huge))
      expect(streamed).toMatch(/reading stopped after (\d+) bytes/)
      expect(Number(/after (\d+) bytes/.exec(streamed)?.[1])).toBeGreaterThan(1_000_000)
    }))

  it.effect("a body within the cap is read whatever its declared length says", () =>
    Effect.gen(function*() {
      const name = "€".repeat(100_000)
      for (const length of ["100", "0x10", ""]) {
        const thing = yield* Endpoint.call(getThing, { path: ["t"] }).pipe(
          Effect.provide(canned(() =>
            new Response(JSON.stringify({ id: "t", first_name: name }), { headers: { "content-length": length } })
          ))
        )
        expect(thing.firstName).toBe(name)
      }
    }))
})

describe("a leading BOM is dropped on every transport", () => {
  let server: Server
  const json = JSON.stringify({ id: "t", first_name: "Zoë" })
  beforeAll(async () => {
    const bytes = utf8.encode(BOM + json)
    server = await serve((req, res) => {
      const chunked = (req.url ?? "").endsWith("chunked")
      res.writeHead(200, {
        "content-type": "application/json",
        ...(chunked ? {} : { "content-length": String(bytes.length) })
      })
      res.end(bytes)
    })
  })
  afterAll(() => server.close())

  for (const [name, http] of transports) {
    for (const path of ["declared", "chunked"]) {
      it.effect(`${name}: a small body (${path}) starting with a BOM is read`, () =>
        Effect.gen(function*() {
          const thing = yield* Endpoint.call(getThing, { path: [path] })
          expect(thing.firstName).toBe("Zoë")
        }).pipe(Effect.provide(client(server.url, http))))
    }
  }
})
