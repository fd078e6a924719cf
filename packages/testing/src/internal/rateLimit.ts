import * as Duration from "effect/Duration"
import type { RateLimit } from "../ClerkEmulator.js"

/**
 * The emulator's rate limit: a token bucket per secret key of Clerk's capacity (100 per 10 s for `sk_test_`, 1000
 * for `sk_live_`), refilled one token every window/limit (Clerk documents the numbers, not the algorithm).
 *
 * @internal
 */
export const makeRateLimiter = (initial: RateLimit) => {
  let rateLimit = initial
  const buckets = new Map<string, { tokens: number; lastRefill: number }>()

  const configFor = (key: string): { readonly limit: number; readonly windowMs: number } | undefined => {
    if (rateLimit === false) return undefined
    if (rateLimit === "clerk") return { limit: key.startsWith("sk_live_") ? 1000 : 100, windowMs: 10_000 }
    return { limit: rateLimit.limit, windowMs: Duration.toMillis(Duration.decode(rateLimit.window)) }
  }

  /** Takes a token; `undefined` when allowed, else the seconds to wait (the `Retry-After`). */
  const take = (key: string, at: number): number | undefined => {
    const config = configFor(key)
    if (config === undefined) return undefined
    const refillMs = config.windowMs / config.limit
    let bucket = buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: config.limit, lastRefill: at }
      buckets.set(key, bucket)
    } else {
      const added = Math.floor((at - bucket.lastRefill) / refillMs)
      if (added > 0) {
        bucket.tokens = Math.min(config.limit, bucket.tokens + added)
        bucket.lastRefill += added * refillMs
      }
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    const waitMs = bucket.lastRefill + refillMs - at
    return Math.max(1, Math.ceil(waitMs / 1000))
  }

  return {
    take,
    set: (next: RateLimit) => {
      rateLimit = next
      buckets.clear()
    },
    reset: () => buckets.clear()
  }
}

/** @internal */
export type RateLimiter = ReturnType<typeof makeRateLimiter>
