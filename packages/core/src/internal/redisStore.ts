import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import { Redis, type RedisOptions } from "ioredis"

/**
 * The Redis client the shared limiter owns: the user's ioredis options with what keeps a request from waiting on
 * Redis overridden. Commands fail at once while the client is not connected (no offline queue, no retry of a command
 * across reconnects, nothing re-sent from a lost connection: those requests already went through), and the connection
 * is opened by `connect()`, not on creation (the store bounds each command by `commandTimeout`).
 * The client still reconnects in the background (ioredis's `retryStrategy`), so throttling resumes when Redis is back.
 * Its `error` events (one per reconnect attempt while Redis is down) go to Effect's logger at debug level, through
 * the runtime the layer was built in, instead of ioredis's "Unhandled error event" on stderr; the last one is kept
 * to explain a failed `connect()`.
 *
 * @internal
 */
export const makeClient = (options: RedisOptions, runtime: Runtime.Runtime<never>) => {
  const redis = new Redis({
    ...options,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false
  })
  let lastError: unknown = undefined
  redis.on("error", (error: unknown) => {
    lastError = error
    Runtime.runFork(runtime)(Effect.logDebug("ClerkRateLimitRedis: Redis connection error", error))
  })
  return { redis: defineScripts(redis), lastError: () => lastError }
}

/** The client with the limiter's scripts defined on it. @internal */
export interface RedisWithRateLimiting extends Redis {
  fixedWindow(key: string, tokens: number, refillMillis: number, limit?: number): Promise<[number, number]>
  tokenBucket(
    key: string,
    tokens: number,
    refillMillis: number,
    limit: number,
    now: number,
    overflow: 0 | 1
  ): Promise<number>
}

/**
 * `promise`, or a rejection once `millis` have passed (real time, as Redis's own clock is): the bound on one check
 * whatever ioredis does (a script's `EVALSHA` that meets `NOSCRIPT` is sent twice, each with its own timer).
 */
const within = <A>(promise: Promise<A>, millis: number): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${millis} ms`)), millis)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      }
    )
  })

/**
 * The `RateLimiterStore` over the owned client: `@effect/experimental`'s Redis store (the same scripts, the same
 * keys), each command bounded by `commandTimeout`; a failure or a missed deadline is a `RateLimitStoreError`, which
 * `ClerkRateLimit` turns into a request sent without a token.
 *
 * @internal
 */
export const makeStore = (
  redis: RedisWithRateLimiting,
  prefix: string,
  commandTimeout: Duration.Duration
): RateLimiter.RateLimiterStore["Type"] => {
  const millis = Duration.toMillis(commandTimeout)
  const run = <A>(name: string, command: () => Promise<A>) =>
    Effect.tryPromise({
      try: () => within(command(), millis),
      catch: (cause) =>
        new RateLimiter.RateLimitStoreError({ message: `Failed to execute ${name} rate limiting command`, cause })
    })
  return RateLimiter.RateLimiterStore.of({
    fixedWindow: (options) =>
      run(
        "fixedWindow",
        () =>
          redis.fixedWindow(
            `${prefix}${options.key}`,
            options.tokens,
            Duration.toMillis(options.refillRate),
            options.limit
          )
      ),
    tokenBucket: (options) =>
      Effect.clockWith((clock) =>
        run("tokenBucket", () =>
          redis.tokenBucket(
            `${prefix}${options.key}`,
            options.tokens,
            Duration.toMillis(options.refillRate),
            options.limit,
            clock.unsafeCurrentTimeMillis(),
            options.allowOverflow ? 1 : 0
          ))
      )
  })
}

/** The scripts of `@effect/experimental`'s Redis store (0.61), unchanged, so both share buckets in one Redis. */
const defineScripts = (redis: Redis): RedisWithRateLimiting => {
  redis.defineCommand("fixedWindow", {
    lua: `
local key = KEYS[1]
local tokens = tonumber(ARGV[1])
local refillms = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local current = tonumber(redis.call("GET", key))

if not current then
  local nextpttl = refillms * tokens
  redis.call("SET", key, tokens, "PX", nextpttl)
  return { tokens, nextpttl }
end

local currentpttl = tonumber(redis.call("PTTL", key) or "0")
local next = current + tokens
if limit and next > limit then
  return { next, currentpttl }
end

local nextpttl = currentpttl + (refillms * tokens)
redis.call("SET", key, next, "PX", nextpttl)
return { next, nextpttl }
`,
    numberOfKeys: 1,
    readOnly: false
  })
  redis.defineCommand("tokenBucket", {
    lua: `
local key = KEYS[1]
local last_refill_key = key .. ":refill"
local tokens = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local overflow = ARGV[5] == "1"
local current = tonumber(redis.call("GET", key))
local last_refill = tonumber(redis.call("GET", last_refill_key))

if not current then
  current = limit
  last_refill = now
  redis.call("SET", key, current)
  redis.call("SET", last_refill_key, last_refill)
end

local elapsed = now - last_refill
local refill_amount = math.floor(elapsed / refill_ms)
if refill_amount > 0 then
  current = math.min(current + refill_amount, limit)
  last_refill = last_refill + (refill_amount * refill_ms)
  redis.call("SET", last_refill_key, last_refill)
end

local next = current - tokens
if next < 0 and not overflow then
  redis.call("SET", key, current)
  return next
end

redis.call("SET", key, next)
return next
`,
    numberOfKeys: 1,
    readOnly: false
  })
  // both commands are defined on the instance above (ioredis adds a method per `defineCommand`)
  return redis as RedisWithRateLimiting
}
