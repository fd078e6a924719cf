/**
 * What the request pipeline answers to paths, methods and faults no real client sends: Clerk's envelope with a
 * 4xx, never a 500 (in-process here; over a socket in server-edges.test.ts and the fuzz test).
 */
import { ClerkEmulator } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

const call = (e: ClerkEmulator.Service, method: string, path: string) =>
  Effect.flatMap(
    e.handle(new Request(`http://x${path}`, { method, headers: { authorization: `Bearer ${e.secretKey}` } })),
    (response) =>
      Effect.promise(async () => ({
        status: response.status,
        allow: response.headers.get("allow"),
        body: (await response.json()) as { errors?: Array<{ code: string }> }
      }))
  )

describe("router edges", () => {
  it.scoped("an id that is not valid percent-encoding: 404 in Clerk's envelope, not a URIError 500", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      for (const path of ["/v1/users/%ZZ", "/v1/users/%E0%A4%A", "/v1/users/%", "/v1/users/%ZZ/metadata"]) {
        const method = path.endsWith("metadata") ? "PATCH" : "GET"
        const answer = yield* call(e, method, path)
        expect(answer.status, path).toBe(404)
        expect(answer.body.errors?.[0]?.code).toBe("resource_not_found")
      }
      // a valid encoding still decodes: %2F is an id with a slash, which names nobody
      expect((yield* call(e, "GET", "/v1/users/user%5F1")).status).toBe(404)
    }))

  it.scoped("a method no route serves at a path: 405 with Allow; an unknown path: 404", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      const put = yield* call(e, "PUT", "/v1/users")
      expect(put.status).toBe(405)
      expect(put.body.errors?.[0]?.code).toBe("method_not_allowed")
      expect(put.allow?.split(", ").sort()).toEqual(["GET", "POST"])
      expect((yield* call(e, "FOO", "/v1/users")).status).toBe(405)
      expect((yield* call(e, "GET", "/v1/nothing")).status).toBe(404)
    }))

  it.scoped("a Status fault takes an error status: 100/101/204/304/200/302 are refused when injected", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      for (const status of [100, 101, 204, 304, 200, 302, 600, 503.5]) {
        const exit = yield* Effect.exit(e.injectFault({ action: { _tag: "Status", status } }))
        expect(Exit.isFailure(exit), String(status)).toBe(true)
      }
      expect((yield* call(e, "GET", "/v1/users")).status).toBe(200)
      yield* e.injectFault({ action: { _tag: "Status", status: 418 }, times: 1 })
      expect((yield* call(e, "GET", "/v1/users")).status).toBe(418)
    }))

  it.scoped("the request log is a ring of requestLogSize entries; reset empties it and undoes advanceTime", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false, requestLogSize: 5 })
      for (let i = 0; i < 12; i++) yield* call(e, "GET", `/v1/users?offset=${i}`)
      const log = yield* e.requests
      expect(log.map((r) => r.path)).toHaveLength(5)
      const start = yield* Clock.currentTimeMillis
      yield* e.advanceTime("1000 days")
      const { users } = yield* e.seed({ users: [{ emailAddress: ["t@x.co"] }] })
      expect(users[0]!.createdAt).toBeGreaterThan(start + 999 * 24 * 3600 * 1000)
      yield* e.reset
      expect(yield* e.requests).toEqual([])
      const after = yield* e.seed({ users: [{ emailAddress: ["t@x.co"] }] })
      expect(after.users[0]!.createdAt).toBeLessThan(start + 24 * 3600 * 1000)
    }))

  it.scoped("a malformed JSON body: 400 malformed_request_body naming the body (never the query); 413 past 1 MiB", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      const post = (body: string) =>
        Effect.flatMap(
          e.handle(
            new Request("http://x/v1/users", {
              method: "POST",
              body,
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" }
            })
          ),
          (response) =>
            Effect.promise(async () => ({
              status: response.status,
              body: (await response.json()) as { errors: Array<{ code: string; long_message: string }> }
            }))
        )
      for (const body of ["\"x\"", "1", "true", "null", "x", "{"]) {
        const answer = yield* post(body)
        expect(answer.status, body).toBe(400)
        expect(answer.body.errors.map((err) => err.code), body).toEqual(["malformed_request_body"])
        expect(answer.body.errors[0]?.long_message, body).toMatch(/^The request body is /)
        expect(answer.body.errors[0]?.long_message, body).not.toContain("(query)")
      }
      const array = yield* post("[1]")
      expect(array.status).toBe(422)
      expect(array.body.errors[0]?.long_message).toBe("The request body must be object.")
      const big = yield* post(JSON.stringify({ first_name: "a".repeat(1024 * 1024) }))
      expect(big.status).toBe(413)
      expect(big.body.errors[0]?.code).toBe("request_body_too_large")
    }))
})
