/**
 * A JSON body's numbers as Clerk (Go) reads them: one past float64 (`1e400`, 309 digits) is refused as a malformed
 * body (400 `malformed_request_body`, naming where it is), never read as `Infinity` and stored as `null`; over HTTP and
 * through `handle` alike, on every operation taking metadata or numbers. The SDK refuses `Infinity` and `NaN` before
 * sending (`InvalidInput`); a seed or a snapshot given in-process refuses metadata that is not JSON.
 */
import type { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

interface Answer {
  readonly status: number
  readonly body: {
    readonly public_metadata?: unknown
    readonly errors?: ReadonlyArray<{ readonly code: string; readonly long_message: string }>
  }
}

const huge = `1${"0".repeat(309)}`

/** Bodies with a number past float64, and where it is. */
const outOfRange: ReadonlyArray<readonly [body: string, at: string]> = [
  ["{\"public_metadata\":{\"x\":1e400}}", "public_metadata.x"],
  ["{\"private_metadata\":{\"x\":-1e400}}", "private_metadata.x"],
  [`{"unsafe_metadata":{"a":[1,{"b":${huge}}]}}`, "unsafe_metadata.a[1].b"],
  ["{\"public_metadata\":{\"deep\":{\"er\":[[2E+999]]}}}", "public_metadata.deep.er[0][0]"]
]

/** Numbers that are not past float64 (or not numbers), read as given. */
const inRange: ReadonlyArray<readonly [body: string, metadata: unknown]> = [
  ["{\"public_metadata\":{\"x\":1e308,\"y\":1e-400,\"z\":-0}}", { x: 1e308, y: 0, z: 0 }],
  ["{\"public_metadata\":{\"x\":\"1e400\",\"y\":\"" + huge + "\"}}", { x: "1e400", y: huge }],
  [`{"public_metadata":{"x":${"9".repeat(308)}}}`, { x: Number("9".repeat(308)) }]
]

const sendAll = <E>(send: (method: string, path: string, body: string) => Effect.Effect<Answer, E>, userId: string) =>
  Effect.gen(function*() {
    for (const [body, at] of outOfRange) {
      for (
        const [method, path] of [
          ["POST", "/v1/users"],
          ["PATCH", `/v1/users/${userId}`],
          ["PATCH", `/v1/users/${userId}/metadata`],
          ["PUT", `/v1/users/${userId}/metadata`]
        ] as const
      ) {
        const where = `${method} ${path} ${body.slice(0, 60)}`
        const answer = yield* send(method, path, body)
        expect(answer.status, where).toBe(400)
        expect(answer.body.errors?.map((e) => e.code), where).toEqual(["malformed_request_body"])
        expect(answer.body.errors?.[0]?.long_message, where).toContain(`number out of range at ${at}:`)
      }
    }
    // the other numeric fields: an amount and an organizations limit past float64 are as malformed
    const credits = yield* send(
      "POST",
      `/v1/users/${userId}/billing/credits`,
      "{\"amount\":1e400,\"action\":\"increase\",\"idempotency_key\":\"k1\",\"currency\":\"USD\"}"
    )
    expect([credits.status, credits.body.errors?.[0]?.long_message]).toEqual([
      400,
      expect.stringContaining("number out of range at amount:")
    ])
    const limit = yield* send("POST", "/v1/users", "{\"create_organizations_limit\":-1e999}")
    expect([limit.status, limit.body.errors?.[0]?.long_message]).toEqual([
      400,
      expect.stringContaining("number out of range at create_organizations_limit:")
    ])
    for (const [body, metadata] of inRange) {
      const answer = yield* send("PUT", `/v1/users/${userId}/metadata`, body)
      expect(answer.status, body.slice(0, 60)).toBe(200)
      expect(answer.body.public_metadata, body.slice(0, 60)).toEqual(metadata)
    }
  })

const read = (response: Response) =>
  Effect.promise(async (): Promise<Answer> => ({
    status: response.status,
    body: (await response.json()) as Answer["body"]
  }))

describe("numbers past float64 in a JSON body", () => {
  it.scoped("through handle: a 400 naming where, nothing created or changed", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false, validateResponses: true })
      const { users } = yield* e.seed({ users: [{ emailAddress: ["ada@example.com"], publicMetadata: { keep: 1 } }] })
      const send = (method: string, path: string, body: string) =>
        Effect.flatMap(
          e.handle(
            new Request(`http://x${path}`, {
              method,
              body,
              headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" }
            })
          ),
          read
        )
      const before = yield* e.snapshot
      yield* sendAll(send, users[0]!.id)
      // no user created by a refused POST
      const after = yield* e.snapshot
      expect(after.state.users.map((u) => u.id)).toEqual(before.state.users.map((u) => u.id))
    }))

  it.live("over HTTP: the same answers", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false, validateResponses: true } })
      const { users } = yield* server.emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      const send = (method: string, path: string, body: string) =>
        Effect.flatMap(
          Effect.promise(() =>
            fetch(`${server.url}${path}`, {
              method,
              body,
              headers: { authorization: `Bearer ${server.secretKey}`, "content-type": "application/json" }
            })
          ),
          read
        )
      yield* sendAll(send, users[0]!.id)
      expect((yield* server.emulator.snapshot).state.users).toHaveLength(1)
    })))

  it.effect("the SDK refuses Infinity and NaN before sending (InvalidInput): nothing reaches the emulator", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      const id = users[0]!.id
      const attempts: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }, ClerkClient>> = [
        Users.create({ emailAddress: ["b@example.com"], publicMetadata: { x: Number.POSITIVE_INFINITY } }),
        Users.create({ emailAddress: ["c@example.com"], privateMetadata: { x: [Number.NaN] } }),
        Users.updateMetadata(id, { unsafeMetadata: { x: { y: Number.NEGATIVE_INFINITY } } }),
        Users.replaceMetadata(id, { publicMetadata: { x: Number.NaN } })
      ]
      for (const attempt of attempts) {
        const error = yield* Effect.flip(attempt)
        expect(error._tag).toBe("InvalidInput")
      }
      expect(yield* e.requests).toEqual([])
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})

describe("metadata given in-process is JSON", () => {
  const notJson: ReadonlyArray<readonly [value: Record<string, unknown>, says: string]> = [
    [{ x: Number.NaN }, "x is NaN"],
    [{ x: Number.POSITIVE_INFINITY }, "x is Infinity"],
    [{ a: [1, { b: Number.NEGATIVE_INFINITY }] }, "a[1].b is -Infinity"],
    [{ x: 1n }, "x is a bigint"],
    [{ x: () => 1 }, "x is a function"],
    [{ x: new Date(0) }, "x is Date, not a plain object"],
    [{ x: new Map() }, "x is Map, not a plain object"],
    [{ x: [undefined] }, "x[0] is undefined"]
  ]

  it.scoped("seed refuses NaN, Infinity, bigints, Dates... naming where (was stored as null or {}, or a defect)", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      for (const [value, says] of notJson) {
        for (const field of ["publicMetadata", "privateMetadata", "unsafeMetadata"] as const) {
          const exit = yield* Effect.exit(e.seed({ users: [{ emailAddress: ["a@x.co"], [field]: value }] }))
          expect(Exit.isFailure(exit), `${field} ${says}`).toBe(true)
          if (Exit.isFailure(exit)) {
            expect(String(exit.cause), `${field} ${says}`).toContain(`metadata must be JSON: ${says}`)
          }
        }
      }
      expect((yield* e.snapshot).state.users).toEqual([])
      // a cycle ends the walk (refused by size), an undefined property is an absent one
      const cyclic: Record<string, unknown> = {}
      cyclic["self"] = cyclic
      expect(Exit.isFailure(yield* Effect.exit(e.seed({ users: [{ publicMetadata: cyclic }] })))).toBe(true)
      const { users } = yield* e.seed({ users: [{ publicMetadata: { a: undefined, b: 1 } }] })
      expect(users[0]!.publicMetadata).toEqual({ b: 1 })
    }))

  it.scoped("restore refuses a snapshot whose metadata is not JSON", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      yield* e.seed({ users: [{ emailAddress: ["a@x.co"] }] })
      const snapshot = yield* e.snapshot
      const user = snapshot.state.users[0]!
      const broken = {
        ...snapshot,
        state: { ...snapshot.state, users: [{ ...user, publicMetadata: { x: Number.POSITIVE_INFINITY } }] }
      }
      const exit = yield* Effect.exit(e.restore(broken))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain("metadata must be JSON: x is Infinity")
    }))

  it.live("/__emulator/seed with 1e400 in metadata: a 400 naming it", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      const response = yield* Effect.promise(() =>
        fetch(`${server.url}/__emulator/seed`, {
          method: "POST",
          body: "{\"users\":[{\"publicMetadata\":{\"x\":1e400}}]}",
          headers: { "content-type": "application/json" }
        })
      )
      expect(response.status).toBe(400)
      expect(yield* Effect.promise(() => response.text())).toContain("metadata must be JSON: x is Infinity")
      expect((yield* server.emulator.snapshot).state.users).toEqual([])
    })))
})
