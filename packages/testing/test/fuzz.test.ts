/**
 * Nothing a client sends yields a 500: seeded random requests (method, path with ids in any encoding, query,
 * headers, body bytes or JSON) against the in-process handler and the HTTP server, a bounded number of each.
 */
import { ClerkEmulator, EmulatorServer } from "@effect-clerk/testing"
import { UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import fc from "fast-check"
import * as http from "node:http"

const segment = fc.oneof(
  fc.constantFrom("user_x", "%ZZ", "%E0%A4%A", "%", "%00", "..", ".", "%2F", "%F0%9F%98%80", "a%20b", "\u00e9"),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 8 }).map((s) => s.replace(/[\s/?#]/g, "_"))
)

const templates = [...new Set(UsersApi.all.map((e) => e.path))]

const path = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...templates), fc.array(segment, { minLength: 4, maxLength: 4 })).map(
      ([template, ids]) => {
        let i = 0
        return `/v1${template.replace(/\{[^}]+\}/g, () => ids[i++ % ids.length]!)}`
      }
    )
  },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => `/v1/${parts.join("/")}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom("seed", "restore", "faults", "time", "rate-limit", "reset", "snapshot", "requests", "health"),
      segment
    ).map(([name, id]) => (name === "health" ? `/__emulator/users/${id}/totp` : `/__emulator/${name}`))
  }
)

const query = fc.array(
  fc.tuple(
    fc.constantFrom(
      "limit",
      "offset",
      "banned",
      "email_address",
      "order_by",
      "query",
      "starting_after",
      "x",
      "paginated"
    ),
    fc.oneof(
      fc.constantFrom("5.0", "", "-1", "1e3", "true", "abc", "99999999999999999999", "%ZZ"),
      // names of Object.prototype's properties, as they are and signed (an order_by field, a filter value)
      fc.tuple(fc.constantFrom("", "-", "+"), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype))).map(
        ([sign, name]) => sign + name
      ),
      fc.string({ maxLength: 10 })
    )
  ),
  { maxLength: 4 }
).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&"))

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.constantFrom("{", "[]", "null", "\"x\"", "{\"public_metadata\":[]}", "{\"limit\":1e309}"),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1"))
)

const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "FOO", "PROPFIND"),
  path,
  query,
  auth: fc.constantFrom("good", "good", "good", "none", "garbage"),
  contentType: fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=x", undefined),
  body
})

type Fuzzed = typeof request extends fc.Arbitrary<infer A> ? A : never

const headersOf = (r: Fuzzed, key: string): Record<string, string> => ({
  ...(r.auth === "good"
    ? { authorization: `Bearer ${key}` }
    : r.auth === "garbage"
    ? { authorization: "Bearer \u00ff" }
    : {}),
  ...(r.contentType === undefined ? {} : { "content-type": r.contentType })
})

const hasBody = (r: Fuzzed) => r.body !== undefined && r.method !== "GET" && r.method !== "HEAD"

describe("fuzz: no 500", () => {
  it.scoped("in-process: 400 seeded random requests", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      // two users: a sort with one user never calls its comparator
      yield* e.seed({
        users: [{ id: "user_x", emailAddress: ["x@x.co"], password: "a long passphrase" }, { id: "user_y" }]
      })
      const samples = fc.sample(request, { numRuns: 400, seed: 10 })
      let sent = 0
      for (const r of samples) {
        let req: Request
        try {
          req = new Request(`http://127.0.0.1${r.path}?${r.query}`, {
            method: r.method,
            headers: headersOf(r, e.secretKey),
            ...(hasBody(r) && r.body !== undefined ? { body: r.body } : {})
          })
        } catch {
          continue // not a request a client can make (a forbidden method or header value)
        }
        const exit = yield* Effect.exit(Effect.flatMap(e.handle(req), (res) => Effect.succeed(res.status)))
        sent++
        expect(Exit.isSuccess(exit), `${r.method} ${r.path}?${r.query}`).toBe(true)
        if (Exit.isSuccess(exit)) expect(exit.value, `${r.method} ${r.path}?${r.query} ${String(r.body)}`).not.toBe(500)
      }
      expect(sent).toBeGreaterThan(300)
    }), 120_000)

  it.live(
    "over HTTP: 200 seeded random requests, the test endpoints included",
    () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false, validateResponses: true } })
        const samples = fc.sample(request, { numRuns: 200, seed: 11 })
        let answered = 0
        for (const r of samples) {
          const status = yield* Effect.promise(() =>
            new Promise<number | undefined>((resolve) => {
              let req: http.ClientRequest
              try {
                req = http.request({
                  host: "127.0.0.1",
                  port: server.port,
                  method: r.method,
                  path: `${r.path}?${r.query}`,
                  agent: false,
                  headers: headersOf(r, server.secretKey)
                }, (res) => {
                  res.resume()
                  res.on("end", () => resolve(res.statusCode))
                })
              } catch {
                return resolve(undefined) // node refuses to send it (a path with raw control characters)
              }
              req.on("error", () => resolve(undefined))
              req.end(hasBody(r) ? r.body : undefined)
            })
          )
          if (status === undefined) continue
          answered++
          expect(status, `${r.method} ${r.path}?${r.query} ${String(r.body)}`).not.toBe(500)
        }
        expect(answered).toBeGreaterThan(150)
      })),
    120_000
  )
})
