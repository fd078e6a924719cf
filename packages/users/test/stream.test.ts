/**
 * `Users.stream` against servers that ignore the paging parameter: the stream fails typed at once instead of
 * requesting the same page forever. The "server" is the emulator behind a decorator that drops the parameter.
 */
import { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

const ignoring = (param: string) =>
  ClerkTest.layerWith({
    emulator: { rateLimit: false },
    stack: ClerkClient.decorate((execute) => (request) =>
      execute({ ...request, urlParams: request.urlParams.filter(([key]) => key !== param) })
    )
  })

const seedFive = Effect.flatMap(
  ClerkEmulator,
  (emulator) => emulator.seed({ users: Array.from({ length: 5 }, (_, i) => ({ emailAddress: [`u${i}@example.com`] })) })
)

const listRequests = Effect.map(
  Effect.flatMap(ClerkEmulator, (emulator) => emulator.requests),
  (requests) => requests.filter((r) => r.operation === "Users.list").length
)

describe("Users.stream against a server that ignores the paging parameter", () => {
  it.effect("starting_after ignored: DecodeError after the second request, no user twice", () =>
    Effect.gen(function*() {
      yield* seedFive
      const seen: Array<string> = []
      const error = yield* Users.stream({ pageSize: 2 }).pipe(
        Stream.tap((user) => Effect.sync(() => seen.push(user.id))),
        Stream.runDrain,
        Effect.flip
      )
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("Users.stream")
      expect(error.message).toContain("no progress")
      expect(yield* listRequests).toBe(2)
      expect(new Set(seen).size).toBe(seen.length)
    }).pipe(Effect.provide(ignoring("starting_after"))))

  it.effect("offset ignored (a non-created_at order pages by offset): DecodeError after the second request", () =>
    Effect.gen(function*() {
      yield* seedFive
      const error = yield* Users.stream({ pageSize: 2, orderBy: "+email_address" }).pipe(Stream.runDrain, Effect.flip)
      expect(error._tag).toBe("DecodeError")
      expect(yield* listRequests).toBe(2)
    }).pipe(Effect.provide(ignoring("offset"))))

  it.effect("a server that honours the cursor streams all five, once each", () =>
    Effect.gen(function*() {
      yield* seedFive
      const users = yield* Users.stream({ pageSize: 2 }).pipe(Stream.runCollect)
      expect(new Set(Chunk.toReadonlyArray(users).map((u) => u.id)).size).toBe(5)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})

/**
 * The emulator behind a decorator that makes its pages overlap by one item: `starting_after` moved back one user
 * (the id before it on the last page answered), `offset` one less.
 */
const overlapping = () => {
  let lastPage: ReadonlyArray<string> = []
  return ClerkTest.layerWith({
    emulator: { rateLimit: false },
    stack: ClerkClient.decorate((execute) => (request) => {
      const urlParams = request.urlParams.map(([key, value]): readonly [string, string] => {
        if (key === "offset" && Number(value) > 0) return [key, String(Number(value) - 1)]
        if (key !== "starting_after") return [key, value]
        const before = lastPage[lastPage.indexOf(value) - 1]
        return before === undefined ? [key, value] : [key, before]
      })
      return Effect.map(execute({ ...request, urlParams }), (response) => {
        const parsed: unknown = JSON.parse(response.body)
        const data: unknown = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown }).data
        if (Array.isArray(data)) lastPage = data.map((item: { id: string }) => item.id)
        return response
      })
    })
  })
}

describe("Users streams against a server whose pages overlap", () => {
  const seedSeven = Effect.flatMap(
    ClerkEmulator,
    (emulator) =>
      emulator.seed({
        users: Array.from({ length: 7 }, (_, i) => ({ emailAddress: [`u${i}@example.com`] })),
        organizations: []
      })
  )
  for (const [name, options] of [["the cursor", {}], ["the offset", { orderBy: "+email_address" }]] as const) {
    it.effect(`by ${name}: every user once`, () =>
      Effect.gen(function*() {
        const { users } = yield* seedSeven
        const streamed = yield* Users.stream({ pageSize: 3, ...options }).pipe(Stream.runCollect)
        const ids = Chunk.toReadonlyArray(streamed).map((u) => u.id)
        expect(ids.length).toBe(new Set(ids).size)
        expect(new Set(ids)).toEqual(new Set(users.map((u) => u.id)))
      }).pipe(Effect.provide(overlapping())))
  }

  it.effect("streamOrganizationMemberships by offset: every membership once", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: [{ emailAddress: ["m@example.com"] }] })
      const userId = users[0]!.id
      yield* emulator.seed({
        organizations: Array.from({ length: 7 }, (_, i) => ({ name: `Org ${i}`, members: [{ userId }] }))
      })
      const memberships = yield* Users.streamOrganizationMemberships(userId, { pageSize: 3 }).pipe(Stream.runCollect)
      const ids = Chunk.toReadonlyArray(memberships).map((m) => m.id)
      expect(ids.length).toBe(7)
      expect(new Set(ids).size).toBe(7)
    }).pipe(Effect.provide(overlapping())))
})

describe("stream options of the wrong runtime type fail the stream typed, they do not throw", () => {
  const streams: ReadonlyArray<
    readonly [string, (options: unknown) => Stream.Stream<unknown, { _tag: string }, ClerkClient>]
  > = [
    // @ts-expect-error: the point is a value of the wrong runtime type
    ["Users.stream", (options) => Users.stream(options)],
    // @ts-expect-error: as above
    ["Users.streamOrganizationMemberships", (options) => Users.streamOrganizationMemberships("user_1", options)],
    // @ts-expect-error: as above
    ["Users.streamOrganizationInvitations", (options) => Users.streamOrganizationInvitations("user_1", options)],
    // @ts-expect-error: as above
    ["Users.streamInstanceOrganizationMemberships", (options) => Users.streamInstanceOrganizationMemberships(options)]
  ]
  for (const [name, make] of streams) {
    it.effect(`${name}(null | "x" | 1) → InvalidInput`, () =>
      Effect.gen(function*() {
        for (const options of [null, "x", 1]) {
          const error = yield* make(options).pipe(Stream.runDrain, Effect.flip)
          expect(error._tag).toBe("InvalidInput")
        }
      }).pipe(Effect.provide(ClerkTest.layer)))
  }
})

describe("stream options are read when the stream runs, with the operations' checks", () => {
  const streams: ReadonlyArray<readonly [string, (options: unknown) => Stream.Stream<unknown, unknown, ClerkClient>]> =
    [
      // @ts-expect-error: the point is a value of the wrong runtime type
      ["Users.stream", (options) => Users.stream(options)],
      // @ts-expect-error: as above
      ["Users.streamOrganizationMemberships", (options) => Users.streamOrganizationMemberships("user_1", options)],
      // @ts-expect-error: as above
      ["Users.streamOrganizationInvitations", (options) => Users.streamOrganizationInvitations("user_1", options)],
      // @ts-expect-error: as above
      ["Users.streamInstanceOrganizationMemberships", (options) => Users.streamInstanceOrganizationMemberships(options)]
    ]
  const throwing = Object.defineProperty({}, "pageSize", {
    enumerable: true,
    get: () => {
      throw new Error("boom")
    }
  })
  const hostile = new Proxy({}, {
    ownKeys: () => {
      throw new Error("trap")
    }
  })
  const bad: ReadonlyArray<readonly [string, unknown, string]> = [
    ["pageSize bigint", { pageSize: 2n }, "pageSize must be an integer from 1 to 500"],
    ["pageSize string", { pageSize: "2" }, "pageSize must be an integer from 1 to 500, got \"2\""],
    ["pageSize negative", { pageSize: -5 }, "pageSize must be an integer from 1 to 500, got -5"],
    ["pageSize huge", { pageSize: 1e9 }, "pageSize must be an integer from 1 to 500, got 1000000000"],
    ["pageSize fractional", { pageSize: 2.5 }, "pageSize"],
    ["unknown key", { pageSiz: 2 }, "pageSiz"],
    ["paging key", { limit: 2 }, "limit is set by the stream itself"],
    ["an array", [], "options must be an object, got an array"],
    ["a throwing getter", throwing, "could not be read"],
    ["a hostile Proxy", hostile, "could not be read"]
  ]
  for (const [name, make] of streams) {
    it.effect(`${name}: every bad option fails the stream with InvalidInput, never throws when built`, () =>
      Effect.gen(function*() {
        for (const [what, options, message] of bad) {
          const built = yield* Effect.try(() => make(options))
          const error = yield* built.pipe(Stream.runDrain, Effect.flip)
          expect(error, what).toMatchObject({ _tag: "InvalidInput" })
          expect((error as { message: string }).message, what).toContain(message)
          expect((error as { message: string }).message, what).toContain(name)
          expect((error as { message: string }).message, what).not.toContain("limit must")
        }
      }).pipe(Effect.provide(ClerkTest.layer)))
  }

  it.effect("Users.stream: a filter of the wrong type (a Symbol orderBy) is InvalidInput", () =>
    Effect.gen(function*() {
      // @ts-expect-error: the point is a value of the wrong runtime type
      const error = yield* Users.stream({ orderBy: Symbol("x") }).pipe(Stream.runDrain, Effect.flip)
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toContain("orderBy")
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("valid options stream as before", () =>
    Effect.gen(function*() {
      yield* seedFive
      const users = yield* Users.stream({ pageSize: 2, orderBy: "+email_address" }).pipe(Stream.runCollect)
      expect(Chunk.toReadonlyArray(users).map((u) => u.emailAddresses[0]?.emailAddress)).toEqual(
        Array.from({ length: 5 }, (_, i) => `u${i}@example.com`)
      )
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})
