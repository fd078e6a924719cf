import { ClerkClient, ClerkRateLimit, ClerkRetry } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"

const emulator = ClerkEmulator
const noJitter = ClerkRetry.layer({ jitter: false })
// these tests move the TestClock themselves, to see what happens during a wait
const WithRetry = ClerkTest.layerWith({ stack: noJitter, time: "manual" })

const seedUser = Effect.flatMap(
  emulator,
  (e) => Effect.map(e.seed({ users: [{ emailAddress: ["r@x.co"] }] }), ({ users }) => users[0]!.id)
)

/** Advances the TestClock step by step until the fiber is done (bounded). */
const drive = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, step: Duration.DurationInput, maxSteps: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < maxSteps; i++) {
      const done = yield* fiber.poll
      if (done._tag === "Some") return done.value
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.await(fiber)
  })

describe("ClerkRetry", () => {
  it.effect("a 429 with Retry-After is waited out exactly, then succeeds", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 429, retryAfter: 7 }, times: 1 })
      const fiber = yield* Effect.fork(Users.get(id))
      yield* TestClock.adjust("6999 millis")
      expect((yield* fiber.poll)._tag).toBe("None")
      console.log("C")
      yield* TestClock.adjust("1 millis")
      console.log("D")
      const user = yield* Fiber.join(fiber)
      expect(user.id).toBe(id)
      const gets = (yield* e.requests).filter((r) => r.operation === "Users.get")
      expect(gets.map((r) => r.status)).toEqual([429, 200])
      expect(gets[1]!.at - gets[0]!.at).toBe(7000)
    }).pipe(Effect.provide(WithRetry)))

  it.effect("a burst of 503s recovers with exponential backoff (500 ms, ×1.5)", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 3 })
      const fiber = yield* Effect.fork(Users.get(id))
      const exit = yield* drive(fiber, "50 millis", 500)
      expect(Exit.isSuccess(exit)).toBe(true)
      const times = (yield* e.requests).filter((r) => r.operation === "Users.get").map((r) => r.at)
      expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([500, 750, 1125])
    }).pipe(Effect.provide(WithRetry)))

  it.effect("stops after maxAttempts and surfaces the typed error", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 } })
      const fiber = yield* Effect.fork(Effect.flip(Users.get(id).pipe(ClerkRetry.withOptions({ maxAttempts: 3 }))))
      const exit = yield* drive(fiber, "10 millis", 1000)
      expect(Exit.isSuccess(exit) && exit.value._tag).toBe("UnexpectedStatus")
      expect((yield* e.requests).filter((r) => r.operation === "Users.get")).toHaveLength(3)
    }).pipe(Effect.provide(WithRetry)))

  it.effect("transport failures: reads are retried, a create that may have been sent is not, a refused one is", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Drop" }, times: 2 })
      const read = yield* Effect.fork(Users.get(id))
      expect(Exit.isSuccess(yield* drive(read, "10 millis", 1000))).toBe(true)

      yield* e.injectFault({ operation: "Users.create", action: { _tag: "Drop", afterProcessing: true }, times: 1 })
      const create = yield* Effect.fork(Effect.flip(Users.create({ firstName: "Once" })))
      const failed = yield* drive(create, "10 millis", 1000)
      expect(Exit.isSuccess(failed) && failed.value._tag).toBe("TransportError")
      expect((yield* e.users).filter((u) => u.firstName === "Once")).toHaveLength(1)
      expect((yield* e.requests).filter((r) => r.operation === "Users.create")).toHaveLength(1)

      yield* e.injectFault({ operation: "Users.create", action: { _tag: "Refuse" }, times: 2 })
      const refused = yield* Effect.fork(Users.create({ firstName: "Refused" }))
      expect(Exit.isSuccess(yield* drive(refused, "10 millis", 1000))).toBe(true)
      expect((yield* e.users).filter((u) => u.firstName === "Refused")).toHaveLength(1)
    }).pipe(Effect.provide(WithRetry)))

  it.effect("500 is retried for safe requests only; a keyed credit adjustment is safe and applies once", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ action: { _tag: "Status", status: 500 }, times: 1 })
      const create = yield* Effect.fork(Effect.flip(Users.create({ firstName: "NoRetry" })))
      const error = yield* drive(create, "10 millis", 100)
      expect(Exit.isSuccess(error) && error.value._tag).toBe("UnexpectedStatus")
      expect((yield* e.users).filter((u) => u.firstName === "NoRetry")).toHaveLength(0)

      yield* e.injectFault({
        operation: "Users.adjustBillingCreditBalance",
        action: { _tag: "Drop", afterProcessing: true },
        times: 1
      })
      const adjust = yield* Effect.fork(
        Users.adjustBillingCreditBalance(id, { amount: 700, action: "increase", idempotencyKey: "once" })
      )
      expect(Exit.isSuccess(yield* drive(adjust, "10 millis", 1000))).toBe(true)
      expect((yield* Users.getBillingCreditBalance(id)).balance?.amount).toBe(700)
    }).pipe(Effect.provide(WithRetry)))

  it.effect("a timeout is retried for a read; ClerkRetry.disabled turns retries off per call", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Latency", delay: "1 minute" }, times: 1 })
      const fiber = yield* Effect.fork(Users.get(id).pipe(ClerkClient.withTimeout("2 seconds")))
      expect(Exit.isSuccess(yield* drive(fiber, "100 millis", 1000))).toBe(true)
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 1 })
      const once = yield* Effect.flip(ClerkRetry.disabled(Users.get(id)))
      expect(once._tag).toBe("UnexpectedStatus")
    }).pipe(Effect.provide(WithRetry)))

  it.effect("each attempt is a span under the operation's span", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      const spans: Array<Tracer.Span> = []
      const native = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => native.context(f, fiber)
      })
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 2 })
      const fiber = yield* Effect.fork(Users.get(id).pipe(Effect.withTracer(recording)))
      yield* drive(fiber, "10 millis", 1000)
      const attempts = spans.filter((s) => s.name === "ClerkRetry.attempt")
      expect(attempts.map((s) => s.attributes.get("clerk.retry.attempt"))).toEqual([1, 2, 3])
      const operation = spans.find((s) => s.name === "Users.get")
      const retry = spans.find((s) => s.name === "ClerkRetry")
      expect(retry?.attributes.get("clerk.retry.attempts")).toBe(3)
      expect(retry?.parent._tag === "Some" && retry.parent.value.spanId).toBe(operation?.spanId)
    }).pipe(Effect.provide(WithRetry)))
})

describe("ClerkRateLimit", () => {
  it.effect(
    "a storm of 2,000 requests gets zero 429s from Clerk's enforced limit and uses over 90% of it",
    () =>
      Effect.gen(function*() {
        const id = yield* seedUser
        const e = yield* emulator
        const start = (yield* e.requests).length
        const t0 = yield* Effect.clockWith((c) => c.currentTimeMillis)
        const fiber = yield* Effect.fork(
          Effect.forEach(Array.from({ length: 2000 }), () => Effect.either(Users.get(id)), { concurrency: "unbounded" })
        )
        const exit = yield* drive(fiber, "1 second", 1000)
        if (!Exit.isSuccess(exit)) return expect.unreachable()
        const tooMany = exit.value.filter((r) => r._tag === "Left")
        expect(tooMany).toHaveLength(0)
        const log = (yield* e.requests).slice(start)
        expect(log.filter((r) => r.status === 429)).toHaveLength(0)
        const elapsedMs = log.at(-1)!.at - t0
        // a token bucket of 100 refilled at 10/s allows 100 + 10 per second elapsed
        const allowed = 100 + Math.floor(elapsedMs / 100)
        expect(log.length / allowed).toBeGreaterThanOrEqual(0.9)
      }).pipe(
        Effect.provide(
          ClerkTest.layerWith({
            // the request log must hold the whole storm (2,000 requests)
            emulator: { rateLimit: "clerk", validateResponses: false, requestLogSize: 5000 },
            stack: ClerkRateLimit.layer()
          })
        )
      ),
    120_000
  )

  it.effect("without the limiter the same storm meets Clerk's 429s", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const results = yield* Effect.forEach(Array.from({ length: 300 }), () => Effect.either(Users.get(id)), {
        concurrency: "unbounded"
      })
      expect(results.filter((r) => r._tag === "Left" && r.left._tag === "TooManyRequests").length).toBeGreaterThan(150)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: "clerk" } }))))
})

describe("chaos", () => {
  it.live(
    "thousands of mixed operations under 5xx, 429 and dropped connections: idempotent ones succeed, no create is duplicated, no defect escapes",
    () =>
      Effect.gen(function*() {
        const e = yield* emulator
        const { users } = yield* e.seed({
          users: Array.from({ length: 20 }, (_, i) => ({ emailAddress: [`c${i}@x.co`] }))
        })
        const ids = users.map((u) => u.id)
        yield* e.injectFault({ action: { _tag: "Status", status: 503 }, probability: 0.08 })
        yield* e.injectFault({ action: { _tag: "Status", status: 502 }, probability: 0.04 })
        yield* e.injectFault({ action: { _tag: "Status", status: 429, retryAfter: 0 }, probability: 0.05 })
        yield* e.injectFault({ action: { _tag: "Drop" }, probability: 0.04 })
        yield* e.injectFault({ action: { _tag: "Drop", afterProcessing: true }, probability: 0.04 })
        yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 500 }, probability: 0.04 })
        const n = 2500
        const idempotent: Array<Exit.Exit<unknown, unknown>> = []
        const creates: Array<Exit.Exit<unknown, unknown>> = []
        yield* Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) => {
          const id = ids[i % ids.length]!
          switch (i % 6) {
            case 0:
              return Effect.exit(Users.create({ firstName: `chaos-${i}` })).pipe(Effect.map((x) => creates.push(x)))
            case 1:
              return Effect.exit(Users.get(id)).pipe(Effect.map((x) => idempotent.push(x)))
            case 2:
              return Effect.exit(Users.list({ limit: 5 })).pipe(Effect.map((x) => idempotent.push(x)))
            case 3:
              return Effect.exit(Users.ban(id)).pipe(Effect.map((x) => idempotent.push(x)))
            case 4:
              return Effect.exit(
                Users.adjustBillingCreditBalance(id, { amount: 1, action: "increase", idempotencyKey: `k-${i}` })
              ).pipe(
                Effect.map((x) => idempotent.push(x))
              )
            default:
              return Effect.exit(Users.replaceMetadata(id, { publicMetadata: { i } })).pipe(
                Effect.map((x) => idempotent.push(x))
              )
          }
        }, { concurrency: 16 })
        const all = [...idempotent, ...creates]
        expect(all.filter((x) => Exit.isFailure(x) && Cause.isDie(x.cause))).toHaveLength(0)
        const failedIdempotent = idempotent.filter(Exit.isFailure)
        expect(failedIdempotent.map((x) => Exit.isFailure(x) ? Cause.pretty(x.cause).slice(0, 200) : "")).toEqual([])
        // no create was sent twice: every first name appears at most once
        const names = (yield* e.users).map((u) => u.firstName).filter((name) => name?.startsWith("chaos-"))
        expect(new Set(names).size).toBe(names.length)
        // and the creates that failed did so typed, never as defects
        for (const x of creates.filter(Exit.isFailure)) expect(Cause.failureOption(x.cause)._tag).toBe("Some")
        // credits: each key applied exactly once, retries notwithstanding
        const totals = yield* Effect.forEach(ids, (id) =>
          ClerkRetry.disabled(Users.getBillingCreditBalance(id)).pipe(Effect.either))
        yield* e.clearFaults
        const balances = yield* Effect.forEach(ids, (id) =>
          Users.getBillingCreditBalance(id))
        const credited = balances.reduce((sum, b) => sum + (b.balance?.amount ?? 0), 0)
        expect(credited).toBe(Array.from({ length: n }, (_, i) => i).filter((i) => i % 6 === 4).length)
        expect(totals.length).toBe(ids.length)
      }).pipe(
        Effect.provide(ClerkTest.layerWith({
          emulator: { rateLimit: false, validateResponses: false },
          stack: ClerkRetry.layer({ maxAttempts: 16, initialDelay: "1 millis", maxDelay: "4 millis" })
        }))
      ),
    120_000
  )
})

describe("composition", () => {
  it.effect("the production stack composes as plain layers: retry over rate limit over the client", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 429, retryAfter: 1 }, times: 1 })
      const fiber = yield* Effect.fork(Users.get(id))
      const exit = yield* drive(fiber, "100 millis", 100)
      expect(Exit.isSuccess(exit)).toBe(true)
    }).pipe(Effect.provide(ClerkTest.layerWith({
      stack: ClerkRetry.layer().pipe(Layer.provide(ClerkRateLimit.layer()))
    }))))
})

describe("every attempt takes a token", () => {
  it.effect("with retry over the limiter, a retried request spends one token per attempt", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      // a bucket of 3 per 10 s: the first call needs 2 attempts (a 503, then success), the second 1, the third waits
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 1 })
      const t0 = yield* Effect.clockWith((c) => c.currentTimeMillis)
      const fiber = yield* Effect.fork(Effect.all([Users.get(id), Users.get(id), Users.get(id)], { concurrency: 1 }))
      const exit = yield* drive(fiber, "10 millis", 2000)
      expect(Exit.isSuccess(exit)).toBe(true)
      const gets = (yield* e.requests).filter((r) => r.operation === "Users.get")
      expect(gets.map((r) => r.status)).toEqual([503, 200, 200, 200])
      // attempts 1-3 used the 3 tokens; the 4th request waited for a refill (10 s / 3)
      expect(gets[3]!.at - t0).toBeGreaterThanOrEqual(3333)
      expect(gets[2]!.at - t0).toBeLessThan(3333)
    }).pipe(Effect.provide(ClerkTest.layerWith({
      time: "manual",
      stack: ClerkRetry.layer({ jitter: false, initialDelay: "10 millis" }).pipe(
        Layer.provide(ClerkRateLimit.layer({ limit: 3, window: "10 seconds" }))
      )
    }))))
})

describe("retry bounds", () => {
  it.effect("maxElapsed stops retrying once the next wait would pass it", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({ operation: "Users.get", action: { _tag: "Status", status: 503 } })
      const fiber = yield* Effect.fork(
        Effect.flip(Users.get(id).pipe(ClerkRetry.withOptions({ maxElapsed: "1 second" })))
      )
      const exit = yield* drive(fiber, "50 millis", 200)
      expect(Exit.isSuccess(exit) && exit.value._tag).toBe("UnexpectedStatus")
      // attempts at 0 and 500 ms; the next would start at 1,250 ms
      expect((yield* e.requests).filter((r) => r.operation === "Users.get").map((r) => r.at)).toHaveLength(2)
    }).pipe(Effect.provide(WithRetry)))

  it.effect("a Retry-After beyond maxRetryAfter is not waited for: the 429 surfaces at once", () =>
    Effect.gen(function*() {
      const id = yield* seedUser
      const e = yield* emulator
      yield* e.injectFault({
        operation: "Users.get",
        action: { _tag: "Status", status: 429, retryAfter: 120 },
        times: 1
      })
      const error = yield* Effect.flip(Users.get(id))
      if (error._tag !== "TooManyRequests") return expect.unreachable()
      expect(error.retryAfter).toEqual(Duration.seconds(120))
      expect((yield* e.requests).filter((r) => r.operation === "Users.get")).toHaveLength(1)
    }).pipe(Effect.provide(WithRetry)))
})

describe("a failing limiter store", () => {
  it.effect("lets requests through and logs the change only: one warning when it fails, one line when it answers", () => {
    let down = false
    const lines: Array<{ readonly level: string; readonly message: string }> = []
    const store = Layer.effect(
      RateLimiter.RateLimiterStore,
      Effect.map(RateLimiter.RateLimiterStore, (memory) =>
        RateLimiter.RateLimiterStore.of({
          fixedWindow: memory.fixedWindow,
          // checked at each call (the limiter builds its effect once)
          tokenBucket: (options) =>
            Effect.suspend(() =>
              down
                ? Effect.fail(
                  new RateLimiter.RateLimitStoreError({ message: "store down", cause: new Error("ECONNREFUSED") })
                )
                : memory.tokenBucket(options)
            )
        }))
    ).pipe(Layer.provide(RateLimiter.layerStoreMemory))
    const capture = Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message }) => {
        lines.push({ level: logLevel.label, message: Array.isArray(message) ? message.join(" ") : String(message) })
      })
    )
    return Effect.gen(function*() {
      yield* seedUser
      const calls = (n: number) => Effect.all(Array.from({ length: n }, () => Users.count()), { concurrency: 3 })
      yield* calls(2)
      down = true
      yield* calls(6) // a limit of 2 per hour: these went through without a token
      down = false
      yield* Effect.fork(calls(1)) // answers again (the bucket is empty: this one waits)
      yield* TestClock.adjust("1 millis")
      down = true
      yield* calls(3)
      expect(lines.map((line) => [line.level, line.message])).toEqual([
        [
          "WARN",
          "rate limiter store unavailable (store down: ECONNREFUSED); requests go through without a token until it answers again"
        ],
        ["INFO", "rate limiter store answers again; requests take a token again"],
        [
          "WARN",
          "rate limiter store unavailable (store down: ECONNREFUSED); requests go through without a token until it answers again"
        ]
      ])
    }).pipe(
      Effect.provide(ClerkTest.layerWith({
        time: "manual",
        stack: ClerkRateLimit.layerWithLimiter({ limit: 2, window: "1 hour" }).pipe(
          Layer.provide(RateLimiter.layer),
          Layer.provide(store)
        )
      })),
      Effect.provide(capture)
    )
  })
})

describe("the default limiter's headroom", () => {
  it.effect("a first batch that takes 300 ms to reach Clerk: 110 calls at concurrency 20 meet no 429", () =>
    Effect.gen(function*() {
      // Clerk's bucket starts when the first request arrives, the client's when it is sent: on a cold connection the
      // client's refills for that latency before Clerk's bucket exists (was one 429 per run against clerk-emulator)
      const emulator = yield* ClerkEmulator.make({ rateLimit: "clerk", validateResponses: false })
      let sent = 0
      const http = ClerkTest.httpClient(emulator).pipe(
        HttpClient.mapRequestEffect((request) =>
          sent++ < 20 ? Effect.as(Effect.sleep("300 millis"), request) : Effect.succeed(request)
        )
      )
      const stack = ClerkRetry.layer({ jitter: false }).pipe(
        Layer.provide(ClerkRateLimit.layer()),
        Layer.provide(
          ClerkClient.layer({ secretKey: Redacted.make(emulator.secretKey), apiUrl: "http://clerk.emulator.local" })
        ),
        Layer.provide(Layer.succeed(HttpClient.HttpClient, http))
      )
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 110 }), () => Users.count(), { concurrency: 20 }).pipe(
          Effect.provide(stack)
        )
      )
      const exit = yield* drive(fiber, "10 millis", 2000)
      expect(Exit.isSuccess(exit)).toBe(true)
      const statuses = (yield* emulator.requests).map((r) => r.status)
      expect(statuses.filter((status) => status !== 200)).toEqual([])
      expect(statuses).toHaveLength(110)
    }).pipe(Effect.scoped))
})
