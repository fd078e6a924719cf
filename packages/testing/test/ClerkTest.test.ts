/**
 * What a first test with `ClerkTest.layer` meets: no rate limit unless asked for, and `ClerkRetry` under
 * `it.effect` finishing by itself (its waits move the `TestClock`).
 */
import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"

const creates = (n: number) =>
  Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) => Effect.either(Users.create({ firstName: `u${i}` })), {
    concurrency: 10
  })

describe("ClerkTest.layer", () => {
  it.effect("150 creates meet no rate limit", () =>
    Effect.gen(function*() {
      const results = yield* creates(150)
      expect(results.filter((r) => r._tag === "Left")).toEqual([])
      expect(yield* Users.count()).toBe(150)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("Clerk's limits are one option away: 100 / 10 s for a test key, then 429", () =>
    Effect.gen(function*() {
      const results = yield* creates(150)
      const tooMany = results.filter((r) => r._tag === "Left" && r.left._tag === "TooManyRequests")
      expect(tooMany).toHaveLength(50)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: "clerk" } }))))

  it.effect("with ClerkRetry, Clerk's limits are waited out: the TestClock moves by each Retry-After", () =>
    Effect.gen(function*() {
      const results = yield* creates(150)
      expect(results.filter((r) => r._tag === "Left")).toEqual([])
      const statuses = (yield* (yield* ClerkEmulator).requests).map((r) => r.status)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
      expect(statuses.filter((s) => s === 200)).toHaveLength(150)
    }).pipe(
      Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: "clerk" }, stack: ClerkRetry.layer() }))
    ))
})

describe("ClerkRetry under it.effect", () => {
  it.effect("a retried 503 finishes without touching the clock", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      yield* emulator.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 2 })
      const user = yield* Users.get(users[0]!.id)
      expect(user.id).toBe(users[0]!.id)
      expect((yield* emulator.requests).map((r) => r.status)).toEqual([503, 503, 200])
    }).pipe(Effect.provide(ClerkTest.layerWith({ stack: ClerkRetry.layer() }))))

  it.effect("a 429's Retry-After passes on the TestClock, as the emulator sees it", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      yield* emulator.injectFault({
        operation: "Users.get",
        action: { _tag: "Status", status: 429, retryAfter: 7 },
        times: 1
      })
      const before = yield* TestClock.currentTimeMillis
      yield* Users.get(users[0]!.id)
      const gets = yield* emulator.requests
      expect(gets.map((r) => r.status)).toEqual([429, 200])
      expect(gets[1]!.at - gets[0]!.at).toBe(7000)
      expect((yield* TestClock.currentTimeMillis) - before).toBe(7000)
    }).pipe(Effect.provide(ClerkTest.layerWith({ stack: ClerkRetry.layer() }))))

  it.effect("time: \"manual\" leaves the clock to the test (the retry waits for TestClock.adjust)", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
      yield* emulator.injectFault({
        operation: "Users.get",
        action: { _tag: "Status", status: 429, retryAfter: 7 },
        times: 1
      })
      const fiber = yield* Effect.fork(Users.get(users[0]!.id))
      yield* TestClock.adjust("6999 millis")
      expect((yield* fiber.poll)._tag).toBe("None")
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).id).toBe(users[0]!.id)
    }).pipe(Effect.provide(ClerkTest.layerWith({ stack: ClerkRetry.layer(), time: "manual" }))))
})

describe("ClerkTest.layer: a request a Latency fault holds, under TestClock", () => {
  it.effect("interrupted by its caller: not processed, logged as dropped (as a timed-out one is)", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const user = yield* Users.create({ firstName: "Ada" })
      yield* emulator.injectFault({ operation: "Users.update", action: { _tag: "Latency", delay: "60 seconds" } })
      const fiber = yield* Effect.fork(Users.update(user.id, { firstName: "Grace" }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("2 minutes")
      expect((yield* Users.get(user.id)).firstName).toBe("Ada")
      const log = (yield* emulator.requests).map((r) => [r.operation, r.status])
      expect(log).toStrictEqual([["Users.create", 200], ["Users.update", "dropped"], ["Users.get", 200]])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("timed out by ClerkClient's timeout: not processed, logged as dropped", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const user = yield* Users.create({ firstName: "Ada" })
      yield* emulator.injectFault({ operation: "Users.update", action: { _tag: "Latency", delay: "60 seconds" } })
      const fiber = yield* Effect.fork(
        Effect.flip(Users.update(user.id, { firstName: "Grace" }).pipe(ClerkClient.withTimeout("5 seconds")))
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "TransportError" && error.reason).toBe("Timeout")
      expect((yield* Users.get(user.id)).firstName).toBe("Ada")
      const log = (yield* emulator.requests).map((r) => [r.operation, r.status])
      expect(log).toStrictEqual([["Users.create", 200], ["Users.update", "dropped"], ["Users.get", 200]])
    }).pipe(Effect.provide(ClerkTest.layer)))
})

describe("ClerkTest.layer under the live clock", () => {
  // a Latency fault waits in place; the request's abort signal (which a live-clock timeout aborts) ends the wait, so
  // the call ends at its deadline as over a real socket, not when the fault's latency has passed (60 s: the test's
  // own 5 s limit would fail first)
  it.live("a request timeout ends a call held by a Latency fault, and the request is not processed", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const user = yield* Users.create({ firstName: "Ada" })
      yield* emulator.injectFault({ action: { _tag: "Latency", delay: "60 seconds" } })
      const error = yield* Effect.flip(
        Users.update(user.id, { firstName: "Grace" }).pipe(ClerkClient.withTimeout("50 millis"))
      )
      expect(error._tag === "TransportError" && error.reason).toBe("Timeout")
      yield* emulator.clearFaults
      expect((yield* Users.get(user.id)).firstName).toBe("Ada")
      // logged once, as dropped
      expect((yield* emulator.requests).map((r) => [r.operation, r.status])).toStrictEqual([
        ["Users.create", 200],
        ["Users.update", "dropped"],
        ["Users.get", 200]
      ])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.live("a call its caller interrupts while a Latency fault holds it is logged as dropped", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* emulator.injectFault({ action: { _tag: "Latency", delay: "60 seconds" } })
      const fiber = yield* Effect.fork(Users.count())
      yield* Effect.sleep("20 millis")
      yield* Fiber.interrupt(fiber)
      expect((yield* emulator.requests).map((r) => [r.operation, r.status])).toStrictEqual([["Users.count", "dropped"]])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.live("emulator.handle: a Request's signal aborted during a Latency fault ends the wait", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* emulator.injectFault({ action: { _tag: "Latency", delay: "60 seconds" } })
      const controller = new AbortController()
      const request = new Request("http://clerk.emulator.local/v1/users", {
        headers: { authorization: `Bearer ${emulator.secretKey}` },
        signal: controller.signal
      })
      setTimeout(() => controller.abort(), 20)
      const outcome = yield* Effect.either(emulator.handle(request))
      expect(outcome._tag).toBe("Left")
    }).pipe(Effect.provide(ClerkTest.layer)))
})
