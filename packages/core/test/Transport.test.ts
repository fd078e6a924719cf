import { ClerkClient, Endpoint, TransportError, UnexpectedStatus } from "@effect-clerk/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Zlib from "node:zlib"
import { createThing, getThing, secret } from "./fixtures.js"
import { serve, type Server } from "./server.js"

/** Real local servers on 127.0.0.1: what a transport does on the wire cannot be seen through a fake HttpClient. */
const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["fetch", FetchHttpClient.layer],
  // a caller's own RequestInit asking to follow redirects is kept, but `redirect` is forced to "manual"
  [
    "fetch with RequestInit { redirect: 'follow' }",
    FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, { redirect: "follow" })))
  ],
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layer]
]

const client = (
  apiUrl: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  options: Partial<ClerkClient.Options> = {}
) => ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl, ...options }).pipe(Layer.provide(http))

describe("redirects are never followed", () => {
  let elsewhere: Server
  let redirecting: Server
  let redirectStatus = 302
  beforeAll(async () => {
    elsewhere = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "other", first_name: "x" }))
    })
    redirecting = await serve((req, res) => {
      res.writeHead(redirectStatus, { location: `${elsewhere.url}${req.url}` }).end()
    })
  })
  afterAll(async () => {
    await elsewhere.close()
    await redirecting.close()
  })

  for (const [name, http] of transports) {
    for (const status of [301, 302, 303, 307, 308]) {
      it.effect(`${name}: a ${status} on GET and on a create is UnexpectedStatus; the other server gets nothing`, () =>
        Effect.gen(function*() {
          redirectStatus = status
          const sent = redirecting.requests.length
          const get = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
          const create = yield* Effect.flip(Endpoint.call(createThing, { body: { firstName: "Ada" } }))
          for (const error of [get, create]) {
            expect(error).toBeInstanceOf(UnexpectedStatus)
            expect(error.status).toBe(status)
            expect(error.message).toContain(`HTTP ${status}, a redirect to ${elsewhere.url}`)
            expect(error.message).toContain("not followed")
          }
          expect(redirecting.requests.slice(sent)).toEqual(["GET /v1/things/thing_1", "POST /v1/things"])
          expect(elsewhere.requests).toEqual([])
        }).pipe(Effect.provide(client(redirecting.url, http))))
    }
  }
})

/** `count` gzip members of 1 MiB of zeros each: ~1 KB each on the wire, `count` MiB once inflated. */
const gzipBomb = (count: number) => {
  const member = Zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })
  return Buffer.concat(Array.from({ length: count }, () => member))
}

describe("the response body cap", () => {
  let bomb: Server
  let endless: Server
  let endlessWritten = 0
  let endlessClosed: Promise<void> = Promise.resolve()
  const bombBytes = gzipBomb(200)
  beforeAll(async () => {
    bomb = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(bombBytes)
    })
    endless = await serve((_, res) => {
      endlessWritten = 0
      endlessClosed = new Promise((resolve) => res.on("close", () => resolve()))
      res.writeHead(200, { "content-type": "application/json" })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = () => {
        while (!res.destroyed && endlessWritten < 1024 * 1024 * 1024) {
          endlessWritten += chunk.length
          if (!res.write(chunk)) return void res.once("drain", pump)
        }
      }
      pump()
    })
  })
  afterAll(async () => {
    await bomb.close()
    await endless.close()
  })

  it("the bomb is small on the wire", () => {
    expect(bombBytes.length).toBeLessThan(300 * 1024)
  })

  for (const [name, http] of transports) {
    it.effect(`${name}: a gzip bomb (200 MiB inflated) fails typed under the default 32 MiB cap`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit)) return
        const error = yield* Effect.flip(exit)
        if (name.startsWith("fetch")) {
          // fetch inflates: the cap stops it
          expect(error).toBeInstanceOf(TransportError)
          expect(error instanceof TransportError && error.reason).toBe("ResponseTooLarge")
        } else {
          // undici's request and node:http do not inflate: 200 KB of gzip is not JSON
          expect(error._tag).toBe("DecodeError")
        }
      }).pipe(Effect.provide(client(bomb.url, http))))

    it.effect(`${name}: an endless body stops at the cap; the connection is dropped, nothing more is read`, () =>
      Effect.gen(function*() {
        const limit = 1024 * 1024
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(error).toBeInstanceOf(TransportError)
        if (!(error instanceof TransportError)) return
        expect(error.reason).toBe("ResponseTooLarge")
        expect(error.message).toContain(`${limit}-byte cap`)
        yield* Effect.promise(() => endlessClosed)
        // what the server managed to write: the cap plus what socket buffers hold, far from the 1 GiB it would send
        expect(endlessWritten).toBeLessThan(limit + 32 * 1024 * 1024)
      }).pipe(Effect.provide(client(endless.url, http, { maxResponseBytes: 1024 * 1024 }))))
  }

  it.effect("a declared Content-Length over the cap fails before the body is read", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() =>
        serve((_, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) })
          res.write("{")
        })
      )
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] })).pipe(
        Effect.provide(client(server.url, NodeHttpClient.layerUndici, { maxResponseBytes: 1024 })),
        Effect.ensuring(Effect.promise(() => server.close()))
      )
      expect(error instanceof TransportError && error.reason).toBe("ResponseTooLarge")
    }))

  it.effect("a body at the cap is read whole", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ id: "t", first_name: "x".repeat(500) })
      const server = yield* Effect.promise(() =>
        serve((_, res) => res.writeHead(200, { "content-type": "application/json" }).end(body))
      )
      const thing = yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
        Effect.provide(client(server.url, FetchHttpClient.layer, { maxResponseBytes: Buffer.byteLength(body) })),
        Effect.ensuring(Effect.promise(() => server.close()))
      )
      expect(thing.id).toBe("t")
    }))
})
