/**
 * The web handler's `Response` (`ClerkEmulator.handle`): the same status, headers, body bytes and `text()` as
 * `new Response(body, init)` of the raw pipeline's answer, though JSON bodies are encoded only when their bytes are
 * read (internal/router.ts `webResponse`).
 */
import { ClerkEmulator } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { rawHandlerOf } from "../src/internal/raw.js"
import { type RawResponse, webResponse } from "../src/internal/router.js"

const headersOf = (response: Response) => {
  const entries: Array<[string, string]> = []
  response.headers.forEach((value, name) => entries.push([name, value]))
  return entries
}

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer())

/** Everything a reader can observe, read each way (text, json, bytes, the stream, a clone). */
const observe = async (make: () => Response) => {
  const first = make()
  const text = await first.text()
  const usedAfterText = first.bodyUsed
  const second = await first.text().then(() => "read twice", () => "rejected")
  const viaBytes = await bytes(make())
  const streamed = make()
  const chunks: Array<number> = []
  const reader = streamed.body!.getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...r.value)
  const original = make()
  const clone = original.clone()
  const cloneBytes = await bytes(clone)
  const originalText = await original.text()
  const json = await make().json().then((v: unknown) => ({ ok: v }), (e: unknown) => ({ error: String(e) }))
  return {
    status: first.status,
    headers: headersOf(first),
    text,
    usedAfterText,
    second,
    viaBytes: [...viaBytes],
    streamed: chunks,
    cloneBytes: [...cloneBytes],
    originalText,
    json
  }
}

const same = async (raw: RawResponse) => {
  const expected = await observe(() => new Response(raw.body, { status: raw.status, headers: raw.headers }))
  const actual = await observe(() => webResponse(raw))
  expect(actual).toEqual(expected)
}

const json = (status: number, body: string, stringified?: boolean): RawResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body,
  ...(stringified === undefined ? {} : { stringified })
})

/** JSON values whose strings hold any UTF-16 (lone surrogates included), as the emulator's answers may. */
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value")),
    fc.dictionary(fc.string({ unit: "binary" }), tie("value"))
  )
})).value

describe("webResponse", () => {
  it("answers as new Response(body) does: JSON, non-ASCII, emoji, lone surrogates, BOM, empty, other types", async () => {
    for (
      const raw of [
        json(200, JSON.stringify({ data: [{ id: "user_1", name: "Zoë 🦊 東京" }], totalCount: 1 }), true),
        json(200, JSON.stringify({ lone: "\ud800x\udc00" }), true),
        json(200, JSON.stringify("\ufeff starts with a BOM inside the string"), true),
        json(200, JSON.stringify(42), true),
        json(200, "\ud800 raw lone surrogate"),
        json(200, "\ufeff{\"bom\":true}"),
        json(200, ""),
        json(200, "{\"truncat"),
        json(429, JSON.stringify({ errors: [] })),
        { status: 503, headers: { "content-type": "text/html", "retry-after": "3" }, body: "\ufeff<html>é</html>" },
        { status: 200, headers: {}, body: "no content type" }
      ]
    ) await same(raw)
  })

  it("is the same for any JSON.stringify output (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyJson,
        fc.constantFrom(200, 400, 404, 429),
        async (value, status) => same(json(status, JSON.stringify(value), true))
      ),
      { numRuns: 300 }
    )
  })

  it("is the same for any string body not marked stringified (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary" }),
        fc.constantFrom("application/json", "text/plain"),
        async (body, type) => same({ status: 200, headers: { "content-type": type }, body })
      ),
      { numRuns: 200 }
    )
  })
})

describe("ClerkEmulator.handle", () => {
  it.scoped("a list page through handle has the raw pipeline's body: the same text and the same UTF-8 bytes", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator.make({ rateLimit: false })
      yield* emulator.seed({
        users: Array.from({ length: 150 }, (_, i) => ({
          emailAddress: [`u${i}@example.com`],
          firstName: i % 2 === 0 ? `Zoë ${i} 🦊` : `F${i}`
        }))
      })
      const auth = { authorization: `Bearer ${emulator.secretKey}` }
      const raw = yield* rawHandlerOf(emulator)!({
        method: "GET",
        url: "http://x/v1/users?limit=100",
        headers: auth,
        text: Effect.succeed(""),
        formData: Effect.die("no body")
      })
      expect(raw.body.length).toBeGreaterThan(10_000)
      const get = () => emulator.handle(new Request("http://x/v1/users?limit=100", { headers: auth }))
      const text = yield* Effect.flatMap(get(), (r) => Effect.promise(() => r.text()))
      const viaBytes = yield* Effect.flatMap(get(), (r) => Effect.promise(() => bytes(r)))
      expect(text).toBe(raw.body)
      expect(viaBytes).toEqual(new TextEncoder().encode(raw.body))
    }))

  it.scoped("malformed-body faults answer the same text and bytes as a plain Response of the raw answer", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator.make({ rateLimit: false })
      const auth = { authorization: `Bearer ${emulator.secretKey}` }
      for (const kind of ["truncated", "html", "empty", "garbage", "wrong-shape"] as const) {
        yield* emulator.injectFault({ action: { _tag: "Malformed", kind }, times: 2 })
        const raw = yield* rawHandlerOf(emulator)!({
          method: "GET",
          url: "http://x/v1/users",
          headers: auth,
          text: Effect.succeed(""),
          formData: Effect.die("no body")
        })
        const response = yield* emulator.handle(new Request("http://x/v1/users", { headers: auth }))
        const expected = new Response(raw.body, { status: raw.status, headers: raw.headers })
        const [actualBytes, expectedBytes] = yield* Effect.promise(() =>
          Promise.all([bytes(response), bytes(expected)])
        )
        expect(response.status, kind).toBe(200)
        expect(actualBytes, kind).toEqual(expectedBytes)
      }
    }))
})
