import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Tracer from "effect/Tracer"

let native: Tracer.Tracer | undefined

/** Effect's own tracer, the one every fiber has unless the user installs another: looked up once, when first needed. */
const nativeTracer = (): Tracer.Tracer => native ??= Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * True when a span made in this fiber would reach a tracer the user installed (`Layer.setTracer`,
 * `Effect.withTracer`, `@effect/opentelemetry`), with tracing enabled (`Effect.withTracerEnabled`). Under Effect's
 * native tracer (the default) a span is only an in-memory object nobody reads, which costs ~10 µs to make (random
 * ids, a clock read, a `Map`): the SDK makes none then.
 *
 * @internal
 */
export const isTracing = <A, E>(fiber: Fiber.RuntimeFiber<A, E>): boolean =>
  fiber.currentTracer !== nativeTracer() && fiber.getFiberRef(FiberRef.currentTracerEnabled)

/** Set once an operation has run under a tracer (tracing is in use in this process). */
let tracerSeen = false

const setStackTraceLimit = (limit: number): void => {
  try {
    Error.stackTraceLimit = limit
  } catch {
    // frozen intrinsics (SES): the stack keeps its default length
  }
}

/** The frames of `error`'s stack after the first `skip`, as `Effect.fn` writes them (`at (file:line:col)`). */
const framesAfter = (error: Error, skip: number): string => {
  const frames = (error.stack ?? "").trim().split("\n").slice(1 + skip).join("\n").trim()
  return frames.includes("(") ? frames : frames.replace(/at (.*)/, "at ($1)")
}

/**
 * True when the call site of an operation called now is worth capturing (a `new Error()`, ~2 µs): once tracing is in
 * use, that is when the calling fiber has a tracer or an operation has already run under one in this process. The
 * tracer is only known for sure when the effect runs (it may be installed around the call, `Effect.withTracer`), and
 * by then the caller's frames are gone; so a first traced operation whose caller has no tracer has no call site.
 */
const captureCallSite = (): boolean => {
  if (tracerSeen) return true
  const caller = Fiber.getCurrentFiber()
  return caller._tag === "Some" && isTracing(caller.value)
}

/** A three-frame stack: this function, the operation, its caller. */
const callSite = (): Error => {
  const limit = Error.stackTraceLimit
  setStackTraceLimit(3)
  const error = new Error()
  setStackTraceLimit(limit)
  return error
}

/**
 * `Effect.fn(name)` for a function returning an effect, without its costs when nobody reads spans: when the running
 * fiber has a tracer (`isTracing`), the effect runs in a span named `name` exactly as `Effect.fn` makes it (kind
 * `internal`, the parent of the spans inside, ended with the exit, and on failure `code.stacktrace`: where the
 * operation is defined and where it was called); otherwise it runs as is. The call site costs a `new Error()` (~2 µs)
 * per call, so it is captured only where a span will use it (`captureCallSite`). Must be called by `Endpoint.fn`
 * (the definition site is the frame below it).
 *
 * @internal
 */
export const operation = <Args extends ReadonlyArray<unknown>, A, E, R>(
  name: string,
  body: (...args: Args) => Effect.Effect<A, E, R>
): (...args: Args) => Effect.Effect<A, E, R> => {
  const limit = Error.stackTraceLimit
  setStackTraceLimit(3)
  const definedAt = new Error()
  setStackTraceLimit(limit)
  const named = {
    [name]: (...args: Args): Effect.Effect<A, E, R> => {
      const calledAt = captureCallSite() ? callSite() : undefined
      let effect: Effect.Effect<A, E, R>
      try {
        effect = body(...args)
      } catch (error) {
        effect = Effect.die(error)
      }
      return Effect.withFiberRuntime((fiber) => {
        if (!isTracing(fiber)) return effect
        tracerSeen = true
        let stack: string | undefined
        return Effect.withSpan(effect, name, {
          captureStackTrace: calledAt === undefined
            ? false
            // defined: the frame below `operation` and `Endpoint.fn`; called: below `callSite` and the operation
            : () => stack ??= `${framesAfter(definedAt, 2)}\n${framesAfter(calledAt, 2)}`
        })
      })
    }
  }
  return named[name]!
}

/**
 * Keeps a response out of the spans it passes through: `keep` (inside the span) stores the response and yields its
 * status alone, `take` (outside) hands the stored response on. A tracer receives each span's exit
 * (`span.end(time, exit)`), and a response holds what the server sent, unscrubbed (a server may echo the
 * `Authorization` header); so the span ends with `Exit.succeed(status)`, or with the (scrubbed) typed failure. One
 * per run: make it where the effect runs (`Effect.withFiberRuntime`, `Effect.suspend`).
 *
 * @internal
 */
export const handOff = <A extends { readonly status: number }>() => {
  let kept: A | undefined
  return {
    keep: <E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<number, E, R> =>
      Effect.map(effect, (value) => {
        kept = value
        return value.status
      }),
    take: <E, R>(effect: Effect.Effect<number, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(effect, () =>
        kept === undefined
          ? Effect.dieMessage("unreachable: a span succeeded without handing its response on")
          : Effect.succeed(kept))
  }
}
