/**
 * Metadata nested past what fits in Clerk's 8 KB is refused with Clerk's 422 however deep it goes (no RangeError,
 * no 500), on every operation that takes metadata, and nothing changes.
 */
import { ClerkEmulator } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { exceedsJsonSize, sanitizeMetadata } from "../src/internal/metadata.js"

const nested = (depth: number): string => `${"{\"a\":".repeat(depth)}1${"}".repeat(depth)}`
const nestedArrays = (depth: number): string => `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`

describe("metadata nesting", () => {
  it("the size check and the sanitizer are iterative: 200,000 levels neither overflow nor pass", () => {
    const deep: unknown = JSON.parse(nested(200_000))
    expect(exceedsJsonSize(deep, 8192)).toBe(true)
    expect(() => sanitizeMetadata(deep as { readonly [key: string]: unknown })).not.toThrow()
    const small = { a: [1, "two", null, { b: true }], c: "é\n" }
    expect(exceedsJsonSize(small, JSON.stringify(small).length)).toBe(false)
    expect(exceedsJsonSize(small, JSON.stringify(small).length - 1)).toBe(true)
  })

  it.scoped("5,000 and 100,000 levels → 422 form_param_exceeds_allowed_size on create, update and replace", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      const call = (method: string, path: string, body: string) =>
        Effect.flatMap(
          e.handle(
            new Request(`http://x/v1${path}`, {
              method,
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
              body
            })
          ),
          (response) =>
            Effect.promise(async () => ({
              status: response.status,
              body: (await response.json()) as { errors: Array<{ code: string }> }
            }))
        )
      const { users } = yield* e.seed({ users: [{ emailAddress: ["m@x.co"], publicMetadata: { keep: 1 } }] })
      const id = users[0]!.id
      const cases = [
        ...["public_metadata", "private_metadata", "unsafe_metadata"].map((field) => [field, nested(5_000)] as const),
        ["public_metadata", nestedArrays(5_000)] as const,
        ["private_metadata", nested(100_000)] as const
      ]
      for (const [field, metadata] of cases) {
        const created = yield* call("POST", "/users", `{"email_address":["n@x.co"],"${field}":${metadata}}`)
        expect(created.status).toBe(422)
        expect(created.body.errors[0]?.code).toBe("form_param_exceeds_allowed_size")
        for (const method of ["PATCH", "PUT"]) {
          const changed = yield* call(method, `/users/${id}/metadata`, `{"${field}":${metadata}}`)
          expect(changed.status).toBe(422)
          expect(changed.body.errors[0]?.code).toBe("form_param_exceeds_allowed_size")
        }
      }
      expect((yield* e.users).map((u) => u.publicMetadata)).toEqual([{ keep: 1 }])
    }))
})

describe("deep values where a schema refuses them", () => {
  it.scoped("with request validation off, a 5,000-level value in a string field is a 422, not a 500", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false, validateRequests: false })
      const response = yield* e.handle(
        new Request("http://x/v1/users", {
          method: "POST",
          headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
          body: `{"first_name":${"[".repeat(5000)}${"]".repeat(5000)}}`
        })
      )
      expect(response.status).toBe(422)
    }))
})
