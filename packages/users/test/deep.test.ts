/**
 * Bodies nesting thousands of levels deep (6 KB of JSON can nest 3,000 levels): a user whose field holds such a
 * value is a typed `DecodeError` with the Schema's report (the value cut at 32 levels), never a stack overflow
 * defect; in `public_metadata` (any JSON) it decodes; in an error's `meta` the error stays typed. The server is the
 * emulator behind a decorator that rewrites the body it answers.
 */
import { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth)

/** The emulator's answers with `rewrite` applied to each body (a 2xx or not: `status` says). */
const rewriting = (rewrite: (body: string, status: number, path: string) => string) =>
  ClerkTest.layerWith({
    emulator: { rateLimit: false },
    stack: ClerkClient.decorate((execute) => (request) =>
      Effect.map(execute(request), (response) => ({
        ...response,
        body: rewrite(response.body, response.status, request.path)
      }))
    )
  })

const seedAda = Effect.flatMap(
  ClerkEmulator,
  (emulator) => emulator.seed({ users: [{ emailAddress: ["ada@example.com"], publicMetadata: { a: "@@" } }] })
)

/** Replaces the value of `field` in every user of the body (a quoted string or null) with `value`. */
const setField = (field: string, value: string) => (body: string) =>
  body.replace(new RegExp(`"${field}":(null|"[^"]*"|\\{"a":"@@"\\})`, "g"), `"${field}":${value}`)

describe("a 2xx body nesting thousands of levels deep", () => {
  for (const depth of [3_000, 200_000]) {
    it.effect(`${depth} levels for the whole body: get and list fail with DecodeError, not a defect`, () =>
      Effect.gen(function*() {
        const { users } = yield* seedAda
        const operations: ReadonlyArray<Effect.Effect<unknown, { _tag: string; message: string }, ClerkClient>> = [
          Users.get(users[0]!.id),
          Users.list()
        ]
        for (const operation of operations) {
          const exit = yield* Effect.exit(operation)
          expect(Exit.isFailure(exit) && !Cause.isDie(exit.cause)).toBe(true)
          const error = yield* Effect.flip(operation)
          expect(error._tag).toBe("DecodeError")
          expect(error.message).toContain(`actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
        }
      }).pipe(Effect.provide(rewriting((body, status) => status === 200 ? deep(depth) : body))))

    it.effect(`${depth} levels in first_name: DecodeError naming the field`, () =>
      Effect.gen(function*() {
        const { users } = yield* seedAda
        const operations: ReadonlyArray<Effect.Effect<unknown, { _tag: string; message: string }, ClerkClient>> = [
          Users.get(users[0]!.id),
          Users.list()
        ]
        for (const operation of operations) {
          const error = yield* Effect.flip(operation)
          expect(error._tag).toBe("DecodeError")
          expect(error.message).toContain(`["first_name"]`)
          expect(error.message).toContain(`Expected string, actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
        }
      }).pipe(Effect.provide(rewriting(setField("first_name", deep(depth))))))

    it.effect(`${depth} levels in public_metadata (any JSON): decoded as sent`, () =>
      Effect.gen(function*() {
        const { users } = yield* seedAda
        const user = yield* Users.get(users[0]!.id)
        let value: unknown = user.publicMetadata
        let levels = 0
        while (Array.isArray(value) || (typeof value === "object" && value !== null && "a" in value)) {
          value = Array.isArray(value) ? value[0] : value.a
          levels++
        }
        expect(levels).toBe(depth + 1)
        expect((yield* Users.list())[0]!.id).toBe(user.id)
      }).pipe(Effect.provide(rewriting(setField("public_metadata", `{"a":${deep(depth)}}`)))))

    it.effect(`${depth} levels in an error's meta and code: the documented error, typed`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Users.get("user_missing"))
        expect(error._tag).toBe("NotFound")
        const other = yield* Effect.flip(Users.get("user_missing2"))
        expect(other._tag).toBe("NotFound")
      }).pipe(Effect.provide(rewriting((body, status, path) =>
        status === 404
          ? path.endsWith("user_missing2")
            ? `{"errors":[{"code":${deep(depth)},"message":"m","long_message":"l"}]}`
            : `{"errors":[{"code":"x","message":"m","long_message":"l","meta":{"a":${deep(depth)}}}]}`
          : body
      ))))
  }
})
