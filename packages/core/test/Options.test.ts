/**
 * Options that cannot work are refused where they are given: layer options fail the layer with a `ConfigError`
 * naming the option (instead of a layer that builds and then fails, hangs or retries without end on every call);
 * `withTimeout`/`ClerkRetry.withOptions` values make every operation inside fail with `InvalidInput`, nothing sent.
 */
import { ClerkClient, ClerkRateLimit, ClerkRetry, Endpoint } from "@effect-clerk/core"
import * as ClerkRateLimitRedis from "@effect-clerk/core/ClerkRateLimitRedis"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigError, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import * as util from "node:util"
import { clientLayer, getThing, jsonResponse, type Recorded } from "./fixtures.js"

const ok = () => jsonResponse(200, { id: "thing_1", first_name: null })

const buildError = (layer: Layer.Layer<ClerkClient, unknown>) =>
  ClerkClient.pipe(Effect.provide(layer), Effect.flip, Effect.map(String))

describe("layer options are checked at build", () => {
  it.effect("ClerkClient: timeout, maxResponseBytes, apiVersion, userAgentSuffix", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [Partial<ClerkClient.Options>, string]> = [
        [{ timeout: -5 }, "timeout must not be negative or NaN, got -5"],
        [{ timeout: NaN }, "timeout must not be negative or NaN, got NaN"],
        [{ timeout: "0 millis" }, "timeout must be more than zero"],
        [{ timeout: "-1 seconds" }, "timeout must not be negative"],
        [
          { timeout: "abc" as never },
          "timeout must be a duration (\"5 seconds\", a number of milliseconds or a Duration), got \"abc\""
        ],
        [{ maxResponseBytes: -1 }, "maxResponseBytes must be a whole number of at least 1 (or Infinity), got -1"],
        [{ maxResponseBytes: NaN }, "maxResponseBytes must be a whole number of at least 1 (or Infinity), got NaN"],
        [{ maxResponseBytes: 0 }, "maxResponseBytes must be a whole number of at least 1"],
        [{ maxResponseBytes: 1.5 }, "maxResponseBytes must be a whole number of at least 1"],
        [{ apiVersion: "" }, "apiVersion must be printable ASCII text (not empty)"],
        [{ userAgentSuffix: "x\r\nX-Injected: 1" }, "userAgentSuffix must be printable ASCII text"]
      ]
      for (const [options, message] of cases) {
        expect(yield* buildError(clientLayer(ok, { requests: [] }, options)), JSON.stringify(options)).toContain(
          message
        )
      }
      for (
        const options of [{ timeout: Infinity }, { timeout: "1 minute" }, {
          maxResponseBytes: Infinity
        }] satisfies Array<
          Partial<ClerkClient.Options>
        >
      ) {
        yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
          Effect.provide(clientLayer(ok, { requests: [] }, options))
        )
      }
    }))

  it.effect("ClerkRetry.layer and ClerkRateLimit.layer", () =>
    Effect.gen(function*() {
      const base = clientLayer(ok)
      const cases: ReadonlyArray<readonly [Layer.Layer<ClerkClient, unknown, ClerkClient>, string]> = [
        [
          ClerkRetry.layer({ maxAttempts: NaN }),
          "ClerkRetry.layer: maxAttempts must be a whole number of at least 1, got NaN"
        ],
        [ClerkRetry.layer({ maxAttempts: Infinity }), "maxAttempts must be a whole number of at least 1, got Infinity"],
        [ClerkRetry.layer({ maxAttempts: 1.5 }), "maxAttempts must be a whole number of at least 1, got 1.5"],
        [ClerkRetry.layer({ maxAttempts: 0 }), "maxAttempts must be a whole number of at least 1, got 0"],
        [ClerkRetry.layer({ multiplier: NaN }), "multiplier must be a finite number of at least 1, got NaN"],
        [ClerkRetry.layer({ initialDelay: -1 }), "initialDelay must not be negative or NaN, got -1"],
        [ClerkRetry.layer({ maxElapsed: "soon" as never }), "maxElapsed must be a duration"],
        [ClerkRetry.layer({ jitter: "yes" as never }), "jitter must be a boolean, got \"yes\""],
        [ClerkRateLimit.layer({ limit: 0 }), "ClerkRateLimit: limit must be a whole number of at least 1, got 0"],
        [ClerkRateLimit.layer({ limit: NaN }), "limit must be a whole number of at least 1, got NaN"],
        [ClerkRateLimit.layer({ window: "0 seconds" }), "window must be more than zero"],
        [ClerkRateLimit.layer({ key: "" }), "key must be a non-empty string"],
        [ClerkRateLimit.layer({ window: Infinity }), "ClerkRateLimit: window must be finite, got Infinity"],
        [ClerkRateLimit.layer({ window: Duration.infinity }), "window must be finite"],
        [ClerkRateLimit.layer(null as never), "ClerkRateLimit: the options must be an object, got null"],
        [
          ClerkRateLimit.layer({
            get limit(): number {
              throw new Error("getter")
            }
          }),
          "ClerkRateLimit: limit could not be read"
        ]
      ]
      for (const [layer, message] of cases) {
        expect(yield* buildError(layer.pipe(Layer.provide(base))), message).toContain(message)
      }
      yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
        Effect.provide(
          ClerkRetry.layer({ maxAttempts: 1 }).pipe(
            Layer.provide(ClerkRateLimit.layer({ limit: 1 })),
            Layer.provide(base)
          )
        )
      )
    }))
})

describe("per-call overrides that cannot work refuse the call", () => {
  it.effect("withTimeout and ClerkRetry.withOptions: InvalidInput naming the value, nothing sent", () =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      const layer = ClerkRetry.layer().pipe(Layer.provide(clientLayer(ok, recorded)))
      const call = Endpoint.call(getThing, { path: ["thing_1"] })
      const cases: ReadonlyArray<readonly [Effect.Effect<unknown, unknown, ClerkClient>, string]> = [
        [ClerkClient.withTimeout(call, "abc" as never), "ClerkClient.withTimeout: the timeout must be a duration"],
        [ClerkClient.withTimeout(call, -1), "ClerkClient.withTimeout: the timeout must not be negative or NaN, got -1"],
        [ClerkClient.withTimeout(call, NaN), "the timeout must not be negative or NaN, got NaN"],
        [ClerkClient.withTimeout(call, "0 millis"), "the timeout must be more than zero"],
        [
          ClerkRetry.withOptions(call, { maxAttempts: Infinity }),
          "ClerkRetry.withOptions: maxAttempts must be a whole number of at least 1, got Infinity"
        ],
        [
          ClerkRetry.withOptions(call, { maxAttempts: NaN }),
          "maxAttempts must be a whole number of at least 1, got NaN"
        ],
        [
          ClerkRetry.withOptions(call, { maxAttempts: 1.5 }),
          "maxAttempts must be a whole number of at least 1, got 1.5"
        ],
        [ClerkRetry.withOptions(call, { maxDelay: NaN }), "maxDelay must not be negative or NaN, got NaN"]
      ]
      for (const [effect, message] of cases) {
        const error = yield* effect.pipe(Effect.provide(layer), Effect.flip)
        expect(error, message).toMatchObject({ _tag: "InvalidInput", operation: "Things.get" })
        expect(String(error), message).toContain(message)
      }
      expect(recorded.requests).toHaveLength(0)
      yield* ClerkRetry.withOptions(ClerkClient.withTimeout(call, "5 seconds"), { maxAttempts: 2 }).pipe(
        Effect.provide(layer)
      )
      expect(recorded.requests).toHaveLength(1)
    }))
})

describe("ClerkRetry.currentOverride set directly", () => {
  const call = Endpoint.call(getThing, { path: ["thing_1"] })
  const direct = (value: unknown) =>
    // `as never`: the values a caller without types (or with a cast) can put in the FiberRef
    Effect.locally(call, ClerkRetry.currentOverride, value as never)

  it.effect("with a value withOptions refuses: InvalidInput naming it, nothing sent, with or without the retry layer", () =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      const plain = clientLayer(ok, recorded)
      const retrying = ClerkRetry.layer().pipe(Layer.provide(plain))
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [Option.some({ maxAttempts: Infinity }), "maxAttempts must be a whole number of at least 1, got Infinity"],
        [Option.some({ maxAttempts: NaN }), "maxAttempts must be a whole number of at least 1, got NaN"],
        [Option.some({ maxAttempts: 1.5 }), "maxAttempts must be a whole number of at least 1, got 1.5"],
        [Option.some({ maxAttempts: 0 }), "maxAttempts must be a whole number of at least 1, got 0"],
        [Option.some({ multiplier: -2 }), "multiplier must be a finite number of at least 1, got -2"],
        [Option.some({ maxDelay: NaN }), "maxDelay must not be negative or NaN, got NaN"],
        [Option.some({ initialDelay: "-1 seconds" }), "initialDelay must not be negative"],
        [Option.some({ jitter: "yes" }), "jitter must be a boolean, got \"yes\""],
        [Option.some(null), "the options must be an object, got null"],
        [{ maxAttempts: 3 }, "must be an Option of the options (Option.some({ … }) or Option.none()), got an object"],
        [null, "must be an Option of the options (Option.some({ … }) or Option.none()), got null"]
      ]
      for (const layer of [retrying, plain]) {
        for (const [value, message] of cases) {
          const error = yield* direct(value).pipe(Effect.provide(layer), Effect.flip)
          expect(error, message).toMatchObject({ _tag: "InvalidInput", operation: "Things.get" })
          expect(String(error), message).toContain(`ClerkRetry.currentOverride: ${message}`)
        }
      }
      expect(recorded.requests).toHaveLength(0)
      yield* direct(Option.some({ maxAttempts: 2 })).pipe(Effect.provide(retrying))
      yield* direct(Option.none()).pipe(Effect.provide(retrying))
      expect(recorded.requests).toHaveLength(2)
    }))

  it.effect("reaching ClerkClient.execute another way, an unusable override is ignored: the layer's policy holds", () =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      // 503 five times, then 200: a loop without end (the override taken as is) would stop there, not hang the test
      const unavailable = () => recorded.requests.length > 5 ? ok() : jsonResponse(503, { errors: [] })
      const layer = ClerkRetry.layer({ maxAttempts: 3 }).pipe(Layer.provide(clientLayer(unavailable, recorded)))
      const response = yield* ClerkClient.pipe(
        Effect.flatMap((client) =>
          client.execute({
            operation: "ping",
            method: "GET",
            path: "/things/thing_1",
            urlParams: [],
            body: { _tag: "None" },
            idempotent: true
          })
        ),
        Effect.locally(ClerkRetry.currentOverride, Option.some({ maxAttempts: Infinity })),
        Effect.locally(ClerkRetry.currentSleep, () => Effect.void),
        Effect.provide(layer)
      )
      expect(response.status).toBe(503)
      expect(recorded.requests).toHaveLength(3)
    }))
})

describe("ClerkClient.currentTimeout set directly", () => {
  const call = Endpoint.call(getThing, { path: ["thing_1"] })
  const direct = (value: unknown) =>
    // `as never`: the values a caller without types (or with a cast) can put in the FiberRef
    Effect.locally(call, ClerkClient.currentTimeout, value as never)
  // (a `has` trap that throws would already break `Effect.locally`, which compares the old and new values)
  const throwingProxy = new Proxy({}, {
    get: () => {
      throw new Error("get")
    },
    ownKeys: () => {
      throw new Error("ownKeys")
    }
  })

  it.effect("with a value withTimeout refuses: InvalidInput naming it, nothing sent, with or without the retry layer", () =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      const plain = clientLayer(ok, recorded)
      const retrying = ClerkRetry.layer().pipe(Layer.provide(plain))
      const notAnOption = "must be an Option of a Duration (Option.some(Duration.seconds(5)) or Option.none())"
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [Option.some(NaN), "the timeout must not be negative or NaN, got NaN"],
        [Option.some(-5), "the timeout must not be negative or NaN, got -5"],
        [Option.some("abc"), "the timeout must be a duration (\"5 seconds\", a number of milliseconds or a Duration)"],
        [Option.some({}), "the timeout must be a duration"],
        [Option.some(null), "the timeout must be a duration"],
        [Option.some(Duration.zero), "the timeout must be more than zero, got 0"],
        [Option.some(Duration.millis(-1)), "the timeout must be more than zero"],
        [Option.some(throwingProxy), "the timeout must be a duration"],
        [throwingProxy, `${notAnOption}, got an object`],
        [5, `${notAnOption}, got 5`],
        [null, `${notAnOption}, got null`],
        [undefined, `${notAnOption}, got undefined`]
      ]
      for (const layer of [retrying, plain]) {
        for (const [value, message] of cases) {
          const error = yield* direct(value).pipe(Effect.provide(layer), Effect.flip)
          expect(error, message).toMatchObject({ _tag: "InvalidInput", operation: "Things.get" })
          expect(String(error), message).toContain(`ClerkClient.currentTimeout: ${message}`)
        }
      }
      expect(recorded.requests).toHaveLength(0)
      for (
        const value of [Option.some(Duration.seconds(5)), Option.some("1 second"), Option.some(Infinity), Option.none()]
      ) {
        yield* direct(value).pipe(Effect.provide(retrying))
      }
      expect(recorded.requests).toHaveLength(4)
    }))

  it.effect("a usable value set directly is the timeout (a duration input is decoded)", () =>
    Effect.gen(function*() {
      const silent = clientLayer(() => Effect.never, { requests: [] }, { timeout: "1 hour" })
      const fiber = yield* direct(Option.some("2 seconds")).pipe(Effect.provide(silent), Effect.flip, Effect.fork)
      yield* TestClock.adjust("3 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
      expect(String(error)).toContain("no response within 2s")
    }))

  it.effect("reaching ClerkClient.execute another way, an unusable value is ignored: the client's timeout holds", () =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      for (const value of [Option.some(NaN), Option.some(Duration.zero), 5, throwingProxy]) {
        const response = yield* ClerkClient.pipe(
          Effect.flatMap((client) =>
            client.execute({
              operation: "ping",
              method: "GET",
              path: "/things/thing_1",
              urlParams: [],
              body: { _tag: "None" },
              idempotent: true
            })
          ),
          Effect.locally(ClerkClient.currentTimeout, value as never),
          Effect.provide(clientLayer(ok, recorded))
        )
        expect(response.status).toBe(200)
      }
      expect(recorded.requests).toHaveLength(4)
    }))
})

describe("retry options are read once, and what was checked is what is used", () => {
  const call = Endpoint.call(getThing, { path: ["thing_1"] })
  class Getter {
    get maxAttempts() {
      return 2
    }
  }
  const inherited: unknown = Object.create({ maxAttempts: 2 })
  const hidden: unknown = Object.defineProperty({}, "maxAttempts", { value: 2, enumerable: false })
  const flipping = () => {
    let reads = 0
    return {
      get maxAttempts() {
        return reads++ === 0 ? 2 : Infinity
      }
    }
  }
  const throwingGetter = {
    get maxAttempts(): number {
      throw new Error("getter")
    }
  }
  const throwingProxy = new Proxy({}, {
    get: () => {
      throw new Error("get")
    },
    ownKeys: () => {
      throw new Error("ownKeys")
    }
  })
  /** Attempts made against a server that always answers 503 (the layer's own policy: 5 attempts). */
  const attempts = (
    run: (call: Effect.Effect<unknown, unknown, ClerkClient>) => Effect.Effect<unknown, unknown, ClerkClient>,
    layer = ClerkRetry.layer()
  ) =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      yield* run(call).pipe(
        Effect.locally(ClerkRetry.currentSleep, () => Effect.void),
        Effect.provide(layer.pipe(Layer.provide(clientLayer(() => jsonResponse(503, { errors: [] }), recorded)))),
        Effect.exit
      )
      return recorded.requests.length
    })

  it.effect("getters, inherited and non-enumerable options apply; a getter is read once; undefined means the default", () =>
    Effect.gen(function*() {
      const makers = [() => new Getter(), () => inherited, () => hidden, flipping]
      for (const make of makers) {
        expect(yield* attempts((self) => ClerkRetry.withOptions(self, make() as never))).toBe(2)
        expect(
          yield* attempts((self) => Effect.locally(self, ClerkRetry.currentOverride, Option.some(make() as never)))
        )
          .toBe(2)
        expect(yield* attempts((self) => self, ClerkRetry.layer(make() as never))).toBe(2)
      }
      // withOptions reads its options when called: a later change does not reach the checked copy
      const mutable = { maxAttempts: 2 }
      const persistent = ClerkRetry.withOptions(call, mutable)
      mutable.maxAttempts = Infinity
      expect(yield* attempts(() => persistent)).toBe(2)
      expect(yield* attempts((self) => ClerkRetry.withOptions(self, { maxAttempts: undefined } as never))).toBe(5)
      expect(
        yield* attempts((self) => self, ClerkRetry.layer({ maxAttempts: undefined, multiplier: undefined } as never))
      ).toBe(
        5
      )
    }))

  it.effect("a throwing getter or Proxy: InvalidInput (ConfigError for the layer), nothing sent", () =>
    Effect.gen(function*() {
      for (const options of [throwingGetter, throwingProxy]) {
        const recorded: Recorded = { requests: [] }
        const layer = ClerkRetry.layer().pipe(Layer.provide(clientLayer(ok, recorded)))
        for (
          const [effect, prefix] of [
            [ClerkRetry.withOptions(call, options as never), "ClerkRetry.withOptions: maxAttempts could not be read"],
            [
              Effect.locally(call, ClerkRetry.currentOverride, Option.some(options as never)),
              "ClerkRetry.currentOverride: maxAttempts could not be read"
            ]
          ] as const
        ) {
          const error = yield* effect.pipe(Effect.provide(layer), Effect.flip)
          expect(error).toMatchObject({ _tag: "InvalidInput", operation: "Things.get" })
          expect(String(error)).toContain(prefix)
        }
        expect(recorded.requests).toHaveLength(0)
        expect(yield* buildError(ClerkRetry.layer(options as never).pipe(Layer.provide(clientLayer(ok))))).toContain(
          "ClerkRetry.layer: maxAttempts could not be read"
        )
      }
    }))
})

describe("ClerkRetry.wrap checks its base policy once, as ClerkRetry.layer checks its options", () => {
  const call = Endpoint.call(getThing, { path: ["thing_1"] })
  const wrapped = (base: unknown) => ClerkClient.decorate((execute) => ClerkRetry.wrap(execute, base as never))
  /**
   * Requests sent by `calls` calls under one `wrap` with `base`, against a server answering 503 (200 from the 12th
   * request on: a policy taken as unchecked ends there instead of looping without end).
   */
  const attempts = (base: unknown, calls = 1) =>
    Effect.gen(function*() {
      const recorded: Recorded = { requests: [] }
      const unavailable = () => recorded.requests.length > 11 ? ok() : jsonResponse(503, { errors: [] })
      yield* Effect.gen(function*() {
        for (let i = 0; i < calls; i++) yield* Effect.exit(call)
      }).pipe(
        Effect.locally(ClerkRetry.currentSleep, () => Effect.void),
        Effect.provide(wrapped(base).pipe(Layer.provide(clientLayer(unavailable, recorded))))
      )
      return recorded.requests.length
    })

  it.effect("an unusable base fails the layer with a ConfigError naming the option; nothing is sent", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [{ ...ClerkRetry.defaults, maxAttempts: NaN }, "maxAttempts must be a whole number of at least 1, got NaN"],
        [{ ...ClerkRetry.defaults, maxAttempts: Infinity }, "maxAttempts must be a whole number of at least 1"],
        [{ ...ClerkRetry.defaults, multiplier: 0.5 }, "multiplier must be a finite number of at least 1, got 0.5"],
        [{ ...ClerkRetry.defaults, maxElapsed: "soon" }, "maxElapsed must be a duration"],
        [{ ...ClerkRetry.defaults, maxDelay: -1 }, "maxDelay must not be negative or NaN, got -1"],
        [{ ...ClerkRetry.defaults, jitter: "yes" }, "jitter must be a boolean, got \"yes\""],
        [null, "the options must be an object, got null"],
        [{
          get maxAttempts(): number {
            throw new Error("getter")
          }
        }, "maxAttempts could not be read"]
      ]
      for (const [base, message] of cases) {
        const recorded: Recorded = { requests: [] }
        const error = yield* ClerkClient.pipe(
          Effect.provide(wrapped(base).pipe(Layer.provide(clientLayer(ok, recorded)))),
          Effect.flip
        )
        expect(ConfigError.isConfigError(error), message).toBe(true)
        expect(error, message).toMatchObject({ _op: "InvalidData", path: ["ClerkRetry"] })
        expect(String(error), message).toContain(`ClerkRetry.wrap: ${message}`)
        expect(recorded.requests).toHaveLength(0)
      }
      // called outside ClerkClient.decorate, wrap throws the same ConfigError
      const unused = () => Effect.die("not called")
      expect(() => ClerkRetry.wrap(unused, { ...ClerkRetry.defaults, maxAttempts: NaN })).toThrow(
        "ClerkRetry.wrap: maxAttempts must be a whole number of at least 1, got NaN"
      )
      // decorate takes only a ConfigError as the layer's failure: anything else thrown is a defect
      const exit = yield* ClerkClient.pipe(
        Effect.provide(
          ClerkClient.decorate(() => {
            throw new Error("not a ConfigError")
          }).pipe(Layer.provide(clientLayer(ok)))
        ),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it.effect("a usable base is read once (getters too); an option left out takes its default", () =>
    Effect.gen(function*() {
      let reads = 0
      const flipping = {
        ...ClerkRetry.defaults,
        get maxAttempts() {
          return reads++ === 0 ? 2 : Infinity
        }
      }
      // two calls through one wrapped client: two attempts each, the getter read once
      expect(yield* attempts(flipping, 2)).toBe(4)
      expect(reads).toBe(1)
      expect(yield* attempts({ maxAttempts: 3 })).toBe(3)
      expect(yield* attempts({})).toBe(ClerkRetry.defaults.maxAttempts)
    }))
})

/** A Proxy every operation on which throws (as a revoked Proxy does). */
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const throwingGetter = (name: string): object =>
  Object.defineProperty({}, name, {
    enumerable: true,
    get: () => {
      throw new Error("getter")
    }
  })

/** The layer's failure: a `ConfigError` (never a defect), and everything printed of it. */
const configFailure = (layer: Layer.Layer<ClerkClient, unknown>) =>
  Effect.gen(function*() {
    const exit = yield* ClerkClient.pipe(Effect.provide(layer), Effect.exit)
    if (Exit.isSuccess(exit)) return expect.fail("the layer was built")
    const error = Cause.failureOption(exit.cause)
    if (Option.isNone(error)) return expect.fail(`not a failure: ${Cause.pretty(exit.cause)}`)
    expect(ConfigError.isConfigError(error.value), String(error.value)).toBe(true)
    return {
      message: String(error.value),
      printed: `${Cause.pretty(exit.cause)}\n${util.inspect(exit.cause, { depth: 20, showHidden: true })}`
    }
  })

describe("the resilience layers' options that are not what the types say: a ConfigError, never a defect", () => {
  it.effect("ClerkRetry.layer, ClerkRateLimit.layer, ClerkRateLimitRedis.layer: null, primitives, revoked Proxy, getters", () =>
    Effect.gen(function*() {
      const layers: ReadonlyArray<
        readonly [string, (options: unknown) => Layer.Layer<ClerkClient, unknown, ClerkClient>, string]
      > = [
        ["ClerkRetry.layer", (options) => ClerkRetry.layer(options as never), "maxAttempts"],
        ["ClerkRateLimit", (options) => ClerkRateLimit.layer(options as never), "limit"],
        ["ClerkRateLimitRedis", (options) => ClerkRateLimitRedis.layer(options as never), "limit"]
      ]
      for (const [name, make, first] of layers) {
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          [null, "the options must be an object"],
          ["options", "the options must be an object"],
          [5, "the options must be an object"],
          [revoked(), `${first} could not be read`],
          [throwingGetter(first), `${first} could not be read`]
        ]
        for (const [options, message] of cases) {
          const failure = yield* configFailure(make(options).pipe(Layer.provide(clientLayer(ok))))
          expect(failure.message, `${name} ${message}`).toContain(`${name}: ${message}`)
        }
      }
      const redis: ReadonlyArray<readonly [unknown, string]> = [
        [undefined, "the options must be an object with `redis`, got undefined"],
        [{}, "redis must be an object of ioredis options"],
        [{ redis: revoked() }, "redis could not be read"],
        [{
          redis: new Proxy({}, {
            ownKeys: () => {
              throw new Error("trap")
            }
          })
        }, "redis could not be read"],
        [{ redis: throwingGetter("port") }, "redis could not be read"],
        [throwingGetter("redis"), "redis could not be read"],
        [throwingGetter("connectTimeout"), "connectTimeout could not be read"],
        [{ redis: {}, connectTimeout: revoked() }, "connectTimeout could not be read"]
      ]
      for (const [options, message] of redis) {
        const failure = yield* configFailure(
          ClerkRateLimitRedis.layer(options as never).pipe(Layer.provide(clientLayer(ok)))
        )
        expect(failure.message, message).toContain(`ClerkRateLimitRedis: ${message}`)
      }
    }))
})

describe("a value echoed in a resilience option's error never shows a key or a password", () => {
  const live = "sk_live_SECRETSECRETabcdefghijklmnop1234567890"
  const body = live.slice("sk_live_".length)
  const leaks = (printed: string) =>
    [live, body, "SECRETSECRET", "hunter2"].filter((needle) => printed.includes(needle))

  it.effect("a Clerk key given as an option: <redacted>; the client's own key, even without its prefix", () =>
    Effect.gen(function*() {
      const client = clientLayer(ok, { requests: [] }, { secretKey: Redacted.make(live) })
      const layers: ReadonlyArray<readonly [Layer.Layer<ClerkClient, unknown, ClerkClient>, string]> = [
        [ClerkRetry.layer({ maxAttempts: live as never }), "maxAttempts must be a whole number"],
        [ClerkRetry.layer({ multiplier: live as never }), "multiplier must be a finite number"],
        [ClerkRetry.layer({ jitter: live as never }), "jitter must be a boolean"],
        [ClerkRetry.layer({ initialDelay: live as never }), "initialDelay must be a duration"],
        [ClerkRetry.layer({ maxElapsed: [live, 1] as never }), "maxElapsed must be a duration"],
        [ClerkRateLimit.layer({ limit: live as never }), "limit must be a whole number"],
        [ClerkRateLimit.layer({ limit: body as never }), "limit must be a whole number"],
        [ClerkRateLimit.layer({ window: live as never }), "window must be a duration"],
        [ClerkRateLimit.layer({ window: body as never }), "window must be a duration"],
        [ClerkRateLimitRedis.layer({ redis: {}, limit: live as never }), "limit must be a whole number"],
        [ClerkRateLimitRedis.layer({ redis: {}, connectTimeout: live as never }), "connectTimeout must be a duration"]
      ]
      for (const [layer, message] of layers) {
        const failure = yield* configFailure(layer.pipe(Layer.provide(client)))
        expect(failure.message, message).toContain(message)
        expect(leaks(failure.printed), message).toEqual([])
      }
      // per-call values: InvalidInput, without the key either
      for (
        const effect of [
          ClerkClient.withTimeout(Endpoint.call(getThing, { path: ["thing_1"] }), live as never),
          ClerkRetry.withOptions(Endpoint.call(getThing, { path: ["thing_1"] }), { maxAttempts: live as never })
        ]
      ) {
        const error = yield* effect.pipe(Effect.provide(client), Effect.flip)
        expect(error).toMatchObject({ _tag: "InvalidInput" })
        expect(leaks(`${String(error)}${util.inspect(error, { depth: 10 })}`)).toEqual([])
      }
    }))

  it.effect("a Redis URL: refused, its password shown as ***; a revoked Proxy as redis is a ConfigError", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        ["redis://:hunter2secret@127.0.0.1:6399", "redis must be an object of ioredis options"],
        ["redis://default:hunter2secret@127.0.0.1:6399/0", "got \"redis://***@127.0.0.1:6399/0\""],
        [{ host: "redis://:hunter2secret@127.0.0.1" }, "redis.host must be a host name or address"],
        [{ host: ":hunter2secret@127.0.0.1" }, "got \"***@127.0.0.1\""],
        [{ port: "abc" }, "redis.port must be a port number 0–65535, got \"abc\""],
        [{ port: 65536 }, "redis.port must be a port number 0–65535"],
        [{ port: -1 }, "redis.port must be a port number 0–65535"],
        [{ port: 1.5 }, "redis.port must be a port number 0–65535"],
        [revoked(), "redis could not be read"]
      ]
      for (const [redis, message] of cases) {
        const failure = yield* configFailure(
          ClerkRateLimitRedis.layer({ redis } as never).pipe(Layer.provide(clientLayer(ok)))
        )
        expect(failure.message, message).toContain(message)
        expect(leaks(failure.printed), message).toEqual([])
      }
    }))
})
