/**
 * An operation whose request body Clerk's spec marks `required` refuses a request without one as a malformed body
 * (400 `malformed_request_body`: Clerk's Go decoder meets the end of the input), over HTTP and through `handle`,
 * instead of reading it as `{}` (`POST /v1/users` with no body created a user with no identifier). Operations whose
 * body is optional still read an absent one as `{}`. The SDK refuses `undefined` params of these operations before
 * sending (`InvalidInput`), where it used to send `{}`.
 */
import type { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users, UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { loadSpec, requiredBodyOperations } from "../src/internal/validation.js"

const required = requiredBodyOperations(loadSpec())
const ours = UsersApi.all.filter((endpoint) => required.has(endpoint.operationId))

interface Answer {
  readonly status: number
  readonly codes: ReadonlyArray<string>
}

const pathOf = (endpoint: (typeof UsersApi.all)[number], userId: string) =>
  `/v1${endpoint.path.replace(/\{[^}]+\}/g, userId)}`

/** Every required-body operation without a body (and with only whitespace): a 400; the optional ones: not refused. */
const checkAll = <E>(send: (method: string, path: string, body?: string) => Effect.Effect<Answer, E>, userId: string) =>
  Effect.gen(function*() {
    for (const endpoint of ours) {
      for (const body of [undefined, "", " \r\n\t"]) {
        const where = `${endpoint.operationId} ${JSON.stringify(body)}`
        const answer = yield* send(endpoint.method, pathOf(endpoint, userId), body)
        expect(answer, where).toEqual({ status: 400, codes: ["malformed_request_body"] })
      }
    }
    for (const endpoint of UsersApi.all) {
      if (required.has(endpoint.operationId) || endpoint.body._tag !== "Json") continue
      const answer = yield* send(endpoint.method, pathOf(endpoint, userId), undefined)
      expect(answer.codes, endpoint.operationId).not.toContain("malformed_request_body")
      expect(answer.status, endpoint.operationId).toBeLessThan(500)
    }
  })

const read = (response: Response) =>
  Effect.promise(async (): Promise<Answer> => {
    const body = (await response.json()) as { errors?: ReadonlyArray<{ code: string }> }
    return { status: response.status, codes: (body.errors ?? []).map((e) => e.code) }
  })

describe("a required request body that is absent", () => {
  it("the spec marks the body required on create, update, bulk ban/unban, credits and the profile image", () => {
    expect(ours.map((endpoint) => endpoint.operationId).sort()).toEqual([
      "AdjustUserBillingCreditBalance",
      "CreateUser",
      "SetUserProfileImage",
      "UpdateUser",
      "UsersBan",
      "UsersUnban"
    ])
  })

  it.scoped("through handle: a 400 malformed_request_body; no user created or changed", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false, validateResponses: true })
      const { users } = yield* e.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      const before = yield* e.snapshot
      yield* checkAll(
        (method, path, body) =>
          Effect.flatMap(
            e.handle(
              new Request(`http://x${path}`, {
                method,
                headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
                ...(body === undefined ? {} : { body })
              })
            ),
            read
          ),
        users[0]!.id
      )
      // the optional-body operations ran (a metadata merge of {} and the like): no user created or deleted
      const after = yield* e.snapshot
      expect(after.state.users.map((u) => u.id)).toEqual(before.state.users.map((u) => u.id))
    }))

  it.live("over HTTP (no body, Content-Length: 0, whitespace): the same answers", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false, validateResponses: true } })
      const { users } = yield* server.emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      yield* checkAll(
        (method, path, body) =>
          Effect.flatMap(
            Effect.promise(() =>
              fetch(`${server.url}${path}`, {
                method,
                headers: { authorization: `Bearer ${server.secretKey}`, "content-type": "application/json" },
                ...(body === undefined ? {} : { body })
              })
            ),
            read
          ),
        users[0]!.id
      )
      expect((yield* server.emulator.snapshot).state.users).toHaveLength(1)
    })))

  it.effect("the SDK refuses undefined params of these operations with InvalidInput; nothing is sent", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      const id = users[0]!.id
      // called as JavaScript would call them, without types
      const attempts: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]> = [
        ["Users.create", [undefined]],
        ["Users.update", [id, undefined]],
        ["Users.bulkBan", [undefined]],
        ["Users.bulkUnban", [undefined]],
        ["Users.adjustBillingCreditBalance", [id, undefined]],
        ["Users.setProfileImage", [id, undefined]]
      ]
      // every operation whose body the spec requires is here
      expect(attempts.map(([name]) => name).sort()).toEqual(ours.map((endpoint) => endpoint.name).sort())
      for (const [name, args] of attempts) {
        const operation: unknown = Reflect.get(Users, name.slice("Users.".length))
        if (typeof operation !== "function") throw new Error(`no ${name}`)
        const attempt: unknown = Reflect.apply(operation, Users, args)
        if (!Effect.isEffect(attempt)) throw new Error(`${name} gave no effect`)
        const exit = yield* Effect.exit(attempt as Effect.Effect<unknown, unknown, ClerkClient>)
        expect(exit, name).toMatchObject({
          _tag: "Failure",
          cause: { _tag: "Fail", error: { _tag: "InvalidInput", operation: name } }
        })
      }
      expect(yield* e.requests).toEqual([])
      // an empty object is a body as given: sent, and Clerk decides (an update of nothing answers the user)
      expect((yield* Users.update(id, {})).id).toBe(id)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})
