/**
 * @effect-clerk/core: the client, its error model and its resilience layers.
 *
 * @since 0.1.0
 */

/**
 * The `ClerkClient` service (a tag carrying its layers and per-call options) and its types.
 *
 * @since 0.1.0
 */
export { ClerkClient } from "./ClerkClient.js"

/**
 * The error model: schemas of Clerk's envelope and helpers.
 *
 * @since 0.1.0
 */
export * as ClerkError from "./ClerkError.js"

/**
 * Endpoint descriptions, shared by the client and the emulator.
 *
 * @since 0.1.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * Compiled decoding: exactly `Schema.decodeUnknown`'s results, without interpreting the AST per value.
 *
 * @since 0.2.0
 */
export * as Codec from "./Codec.js"

export {
  BadRequest,
  type ClerkInfraError,
  Conflict,
  DecodeError,
  Forbidden,
  InternalServerError,
  InvalidInput,
  NotFound,
  PaymentRequired,
  TooManyRequests,
  TransportError,
  Unauthorized,
  UnexpectedStatus,
  UnprocessableEntity
} from "./ClerkError.js"

/**
 * Pagination primitives: lazy streams over offset and cursor pages.
 *
 * @since 0.1.0
 */
export * as Pagination from "./Pagination.js"

/**
 * Retries: exponential backoff with jitter, Retry-After and idempotency aware.
 *
 * @since 0.1.0
 */
export * as ClerkRetry from "./ClerkRetry.js"

/**
 * Client-side rate limiting at Clerk's limits (memory store; see `ClerkRateLimitRedis` for fleets).
 *
 * @since 0.1.0
 */
export * as ClerkRateLimit from "./ClerkRateLimit.js"
