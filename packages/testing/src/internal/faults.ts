import type { Endpoint } from "@effect-clerk/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { Fault, FaultAction } from "../ClerkEmulator.js"

/** @internal */
export type MalformedKind = Extract<FaultAction, { readonly _tag: "Malformed" }>["kind"]

/**
 * What the faults decided for one request: stop now with this action (the request is not processed), or go on,
 * possibly to drop the connection afterwards or to break the body.
 *
 * @internal
 */
export type FaultDecision =
  | {
    readonly _tag: "Stop"
    readonly action: Extract<FaultAction, { readonly _tag: "Status" | "Refuse" | "Drop" }>
  }
  | { readonly _tag: "Proceed"; readonly malformed: MalformedKind | undefined; readonly dropAfter: boolean }

const operationMatches = (fault: Fault, endpoint: Endpoint.Any | undefined) =>
  fault.operation === undefined ||
  (endpoint !== undefined && (fault.operation === endpoint.name || fault.operation === endpoint.operationId))

const liveClock: unknown = Object.getPrototypeOf(Clock.make())
/** setTimeout's largest delay (about 24.8 days); a longer wait is made of several. */
const maxTimer = 2 ** 31 - 1

/** A request its client aborted while a fault held it: not processed, logged as a dropped connection. */
const aborted: FaultDecision = { _tag: "Stop", action: { _tag: "Drop" } }

/** Waits `millis` (`Infinity`: until aborted) or until `signal` aborts; `true` when it was aborted. */
const abortableSleep = (millis: number, signal: AbortSignal): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = () => {
      clearTimeout(timer)
      resume(Effect.succeed(true))
    }
    const arm = (left: number) => {
      timer = setTimeout(() => {
        if (left > maxTimer) return arm(left - maxTimer)
        signal.removeEventListener("abort", onAbort)
        resume(Effect.succeed(false))
      }, Math.min(left, maxTimer))
    }
    signal.addEventListener("abort", onAbort, { once: true })
    if (millis !== Number.POSITIVE_INFINITY) arm(millis)
    return Effect.sync(() => {
      clearTimeout(timer)
      signal.removeEventListener("abort", onAbort)
    })
  })

/**
 * A Latency fault's wait; `true` when the request's abort signal ended it. With Effect's live `Clock` the wait
 * honours the signal as a real server's client would stop waiting (the SDK's live-clock timeout aborts it); under
 * any other `Clock` (`TestClock`) it is `Effect.sleep`, and a timeout interrupts it.
 */
const latency = (delay: Duration.DurationInput, signal: AbortSignal | undefined): Effect.Effect<boolean> =>
  signal === undefined
    ? Effect.as(Effect.sleep(delay), false)
    : signal.aborted
    ? Effect.succeed(true)
    : Effect.clockWith((clock) =>
      Object.getPrototypeOf(clock) === liveClock
        ? abortableSleep(Duration.toMillis(Duration.decode(delay)), signal)
        : Effect.as(Effect.sleep(delay), false)
    )

/**
 * The injected faults: each applies to matching requests with its probability (Effect's `Random`) until its
 * `times` are used up. Latency waits in place (ended early when the request's `signal` aborts, under the live clock:
 * the request then stops as dropped; interrupted, the pipeline logs it as dropped); the first fault that stops the
 * request ends the draw.
 *
 * @internal
 */
export const makeFaults = () => {
  let faults: Array<{ readonly fault: Fault; remaining: number }> = []
  const decide = (endpoint: Endpoint.Any | undefined, signal?: AbortSignal): Effect.Effect<FaultDecision> =>
    faults.length === 0 ? noFaults : Effect.gen(function*() {
      let malformed: MalformedKind | undefined
      let dropAfter = false
      for (const entry of faults) {
        if (entry.remaining <= 0 || !operationMatches(entry.fault, endpoint)) continue
        const probability = entry.fault.probability ?? 1
        if (probability < 1 && (yield* Random.next) >= probability) continue
        entry.remaining--
        const action = entry.fault.action
        switch (action._tag) {
          case "Latency":
            if (yield* latency(action.delay, signal)) return aborted
            break
          case "Drop":
            if (action.afterProcessing === true) dropAfter = true
            else return { _tag: "Stop", action }
            break
          case "Malformed":
            malformed = action.kind
            break
          case "Refuse":
          case "Status":
            return { _tag: "Stop", action }
        }
      }
      faults = faults.filter((entry) => entry.remaining > 0)
      return { _tag: "Proceed", malformed, dropAfter }
    })
  return {
    inject: (fault: Fault) => void faults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }),
    clear: () => {
      faults = []
    },
    decide
  }
}

/** The decision when no fault is injected (most requests): made once, so the pipeline can tell it apart. @internal */
export const unfaulted: FaultDecision = { _tag: "Proceed", malformed: undefined, dropAfter: false }
/**
 * `decide`'s effect when no fault is injected: it cannot wait, so the pipeline need not watch it for interruption.
 *
 * @internal
 */
export const noFaults: Effect.Effect<FaultDecision> = Effect.succeed(unfaulted)

/** @internal */
export type Faults = ReturnType<typeof makeFaults>

/** The broken body a `Malformed` fault sends instead of the real one. @internal */
export const malformedBody = (kind: MalformedKind, original: string) => {
  switch (kind) {
    case "truncated":
      return original.slice(0, Math.max(1, Math.floor(original.length / 2)))
    case "html":
      return "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
    case "empty":
      return ""
    case "garbage":
      return "\u0000\u00ff\u00fe garbage \u0001"
    case "wrong-shape":
      return JSON.stringify({ unexpected: true, data: 42 })
  }
}
