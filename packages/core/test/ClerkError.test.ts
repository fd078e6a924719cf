import { ClerkError, ClerkRetry, Endpoint } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import { clerkErrors, clientLayer, getThing, jsonResponse, type Recorded } from "./fixtures.js"

const now = Date.parse("2026-01-01T00:00:00Z")

describe("ClerkError.parseRetryAfter", () => {
  const usable: ReadonlyArray<readonly [string, number]> = [
    ["7", 7000],
    [" 7 ", 7000],
    ["0", 0],
    ["1.5", 1500],
    ["2001", 2_001_000],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Thursday, 01-Jan-26 00:00:30 GMT", 30_000]
  ]
  for (const [header, millis] of usable) {
    it(`${JSON.stringify(header)} → ${millis} ms`, () => {
      expect(ClerkError.parseRetryAfter(header, now)).toEqual(Duration.millis(millis))
    })
  }

  // each of these must fall back to the backoff (undefined), never to "retry at once"
  const unusable = [
    "-5",
    "-0.5",
    "+5",
    "1e3",
    "Infinity",
    "NaN",
    "soon",
    "",
    "   ",
    "5 seconds",
    "2026-01-01T00:00:30Z",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Thu, 01 Jan 2026 00:00:00 GMT",
    "Mon, 99 Foo 2026 99:99:99 GMT",
    "9".repeat(400)
  ]
  for (const header of unusable) {
    it(`${JSON.stringify(header.slice(0, 40))} → undefined (the backoff applies)`, () => {
      expect(ClerkError.parseRetryAfter(header, now)).toBeUndefined()
    })
  }
})

describe("ClerkRetry with an unusable Retry-After", () => {
  for (const header of ["-5", "abc", "Wed, 21 Oct 2015 07:28:00 GMT"]) {
    it.effect(`Retry-After: ${header} waits the backoff (500 ms), not zero`, () => {
      const recorded: Recorded = { requests: [] }
      let calls = 0
      const respond = () =>
        ++calls === 1
          ? jsonResponse(429, clerkErrors("too_many_requests", "slow"), { "retry-after": header })
          : jsonResponse(200, { id: "thing_1", first_name: null })
      const live = ClerkRetry.layer({ jitter: false }).pipe(Layer.provide(clientLayer(respond, recorded)))
      return Effect.gen(function*() {
        yield* TestClock.setTime(now)
        const fiber = yield* Effect.fork(Endpoint.call(getThing, { path: ["thing_1"] }))
        yield* TestClock.adjust("499 millis")
        expect((yield* fiber.poll)._tag).toBe("None")
        expect(recorded.requests).toHaveLength(1)
        yield* TestClock.adjust("1 millis")
        const thing = yield* Fiber.join(fiber)
        expect(thing.id).toBe("thing_1")
        expect(recorded.requests).toHaveLength(2)
      }).pipe(Effect.provide(live))
    })
  }
})
