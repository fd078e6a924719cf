import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import type { Options } from "../ClerkRetry.js"
import { countProblem, durationProblem, show } from "./config.js"

/**
 * `ClerkRetry.currentOverride`, here so that `Endpoint.call` can check it without importing the retry module.
 *
 * @internal
 */
export const currentOverride: FiberRef.FiberRef<Option.Option<Partial<Options>>> = FiberRef.unsafeMake(
  Option.none<Partial<Options>>()
)

const durations = ["initialDelay", "maxDelay", "maxElapsed", "maxRetryAfter"] as const

/**
 * Why `options` cannot drive the retry loop (the first option at fault), or `undefined`.
 *
 * @internal
 */
export const optionsProblem = (options: unknown): string | undefined => {
  const name = (option: string, problem: string | undefined) =>
    problem === undefined ? undefined : `${option} ${problem}`
  if (typeof options !== "object" || options === null) return `the options must be an object, got ${show(options)}`
  const field = (key: keyof Options): unknown => Reflect.get(options, key)
  const maxAttempts = field("maxAttempts")
  if (maxAttempts !== undefined) {
    const problem = name("maxAttempts", countProblem(maxAttempts, 1))
    if (problem !== undefined) return problem
  }
  const multiplier = field("multiplier")
  if (multiplier !== undefined && !(typeof multiplier === "number" && Number.isFinite(multiplier) && multiplier >= 1)) {
    return `multiplier must be a finite number of at least 1, got ${show(multiplier)}`
  }
  const jitter = field("jitter")
  if (jitter !== undefined && typeof jitter !== "boolean") return `jitter must be a boolean, got ${show(jitter)}`
  for (const option of durations) {
    const value = field(option)
    const problem = value === undefined ? undefined : name(option, durationProblem(value, false))
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * Why a value found in `currentOverride` (set by `withOptions`, which checks it, or directly with `Effect.locally`,
 * which does not) cannot drive the retry loop, or `undefined` when it can (`Option.none()` included).
 *
 * @internal
 */
export const overrideProblem = (override: unknown): string | undefined => {
  if (!Option.isOption(override)) {
    return `must be an Option of the options (Option.some({ … }) or Option.none()), got ${show(override)}`
  }
  return Option.isNone(override) ? undefined : optionsProblem(override.value)
}
