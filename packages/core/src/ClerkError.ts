/**
 * The error model: one tagged error per status Clerk documents, plus the infrastructure errors that any call can
 * meet (an undocumented status, a body that does not decode, a transport failure, input refused before sending).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

/**
 * One entry of Clerk's `errors[]` envelope, in camelCase. `meta` is kept whole.
 *
 * @example
 * ```ts
 * import { ClerkError } from "@effect-clerk/core"
 * import { Schema } from "effect"
 *
 * const entry = Schema.decodeUnknownSync(ClerkError.ClerkApiError)({
 *   code: "resource_not_found", message: "not found", long_message: "No user was found with id user_1"
 * })
 * console.log(entry.longMessage)
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ClerkApiError = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  longMessage: Schema.optional(Schema.String).pipe(Schema.fromKey("long_message")),
  meta: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}).annotations({ identifier: "ClerkApiError" })

/**
 * @example
 * ```ts
 * import type { ClerkError } from "@effect-clerk/core"
 * const entry: ClerkError.ClerkApiError = { code: "form_param_missing", message: "missing" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkApiError extends Schema.Schema.Type<typeof ClerkApiError> {}

/**
 * Clerk's error envelope: `{ errors: [...], meta?, clerk_trace_id? }`.
 *
 * @example
 * ```ts
 * import { ClerkError } from "@effect-clerk/core"
 * import { Schema } from "effect"
 *
 * const body = Schema.decodeUnknownSync(ClerkError.ClerkErrorBody)({ errors: [], clerk_trace_id: "t_1" })
 * console.log(body.clerkTraceId)
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const ClerkErrorBody = Schema.Struct({
  errors: Schema.Array(ClerkApiError),
  meta: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  clerkTraceId: Schema.optional(Schema.String).pipe(Schema.fromKey("clerk_trace_id"))
}).annotations({ identifier: "ClerkErrorBody" })

/**
 * @example
 * ```ts
 * import type { ClerkError } from "@effect-clerk/core"
 * const body: ClerkError.ClerkErrorBody = { errors: [] }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkErrorBody extends Schema.Schema.Type<typeof ClerkErrorBody> {}

const apiErrorFields = <S extends number>(status: S) => ({
  status: Schema.Literal(status),
  message: Schema.String,
  errors: Schema.Array(ClerkApiError),
  clerkTraceId: Schema.optional(Schema.String)
})

/**
 * 400: the request was malformed or a parameter was invalid.
 *
 * @example
 * ```ts
 * import { BadRequest } from "@effect-clerk/core"
 * import { Effect } from "effect"
 *
 * const recover = <A, R>(self: Effect.Effect<A, BadRequest, R>) =>
 *   self.pipe(Effect.catchTag("BadRequest", (e) => Effect.succeed(e.errors.map((x) => x.code))))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", apiErrorFields(400)) {}

/**
 * 401: the secret key is missing or invalid.
 *
 * @example
 * ```ts
 * import { Unauthorized } from "@effect-clerk/core"
 * const error = new Unauthorized({ status: 401, message: "Invalid authentication", errors: [] })
 * console.log(error._tag)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", apiErrorFields(401)) {}

/**
 * 402: the feature needs a paid plan.
 *
 * @example
 * ```ts
 * import { PaymentRequired } from "@effect-clerk/core"
 * const error = new PaymentRequired({ status: 402, message: "upgrade required", errors: [] })
 * console.log(error.status)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class PaymentRequired extends Schema.TaggedError<PaymentRequired>()("PaymentRequired", apiErrorFields(402)) {}

/**
 * 403: the request is authenticated but not allowed.
 *
 * @example
 * ```ts
 * import { Forbidden } from "@effect-clerk/core"
 * const error = new Forbidden({ status: 403, message: "not allowed", errors: [] })
 * console.log(error instanceof Forbidden)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", apiErrorFields(403)) {}

/**
 * 404: the resource does not exist.
 *
 * @example
 * ```ts
 * import { NotFound } from "@effect-clerk/core"
 * import { Users } from "@effect-clerk/users"
 * import { Effect } from "effect"
 *
 * const maybeUser = Users.get("user_123").pipe(Effect.catchTag("NotFound", () => Effect.succeed(null)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", apiErrorFields(404)) {}

/**
 * 409: the request conflicts with the current state.
 *
 * @example
 * ```ts
 * import { Conflict } from "@effect-clerk/core"
 * const error = new Conflict({ status: 409, message: "conflict", errors: [] })
 * console.log(error.message)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", apiErrorFields(409)) {}

/**
 * 422: the request was well formed but Clerk refused it (a duplicate identifier, a missing field, ...).
 *
 * @example
 * ```ts
 * import { UnprocessableEntity } from "@effect-clerk/core"
 * const error = new UnprocessableEntity({ status: 422, message: "taken", errors: [{ code: "form_identifier_exists", message: "taken" }] })
 * console.log(error.errors[0]?.code)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntity
  extends Schema.TaggedError<UnprocessableEntity>()("UnprocessableEntity", apiErrorFields(422))
{}

/**
 * 429: the instance's rate limit was hit. `retryAfter` is parsed from the `Retry-After` header (seconds or an
 * HTTP date) when Clerk sends one.
 *
 * @example
 * ```ts
 * import { TooManyRequests } from "@effect-clerk/core"
 * import { Duration } from "effect"
 * const error = new TooManyRequests({ status: 429, message: "slow down", errors: [], retryAfter: Duration.seconds(3) })
 * console.log(error.retryAfter)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", {
  ...apiErrorFields(429),
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}) {}

/**
 * 500: Clerk failed on its side.
 *
 * @example
 * ```ts
 * import { InternalServerError } from "@effect-clerk/core"
 * const error = new InternalServerError({ status: 500, message: "oops", errors: [] })
 * console.log(error._tag)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError
  extends Schema.TaggedError<InternalServerError>()("InternalServerError", apiErrorFields(500))
{}

/**
 * A status the operation does not document (a 503 from a proxy, a 418, a redirect, ...): nothing is dropped, it
 * arrives typed, with the status, Clerk's `errors[]` if the body had them, a short excerpt of the body (the secret
 * key removed), the correlation id (`clerk_trace_id`, else the `x-clerk-trace-id` or `cf-ray` header), and a
 * message naming the operation, the method, the path and the status.
 *
 * @example
 * ```ts
 * import { UnexpectedStatus } from "@effect-clerk/core"
 * const error = new UnexpectedStatus({ status: 503, message: "HTTP 503", errors: [], excerpt: "<html>" })
 * console.log(error.status)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>()("UnexpectedStatus", {
  status: Schema.Number,
  message: Schema.String,
  errors: Schema.Array(ClerkApiError),
  clerkTraceId: Schema.optional(Schema.String),
  excerpt: Schema.String
}) {}

/**
 * The request never got a complete answer. `reason` says how far it got:
 *
 * - `ConnectError`: no connection was made (refused, DNS failure, unreachable): the request was never sent;
 * - `RequestError`: the connection failed while sending or waiting (reset, socket closed): it may have reached Clerk;
 * - `ResponseError`: the response started but its body was cut short;
 * - `ResponseTooLarge`: the body went past `ClerkClient`'s `maxResponseBytes` cap (default 32 MiB, counted after
 *   decompression); reading stopped there (a declared `Content-Length` over the cap: nothing read). The message
 *   gives the bytes: where reading stopped, the declared length, or for a text a custom transport handed over
 *   whole, its size in UTF-8. Not retried;
 * - `Timeout`: no complete answer within the request timeout.
 *
 * `cause` is a copy of the original failure with the secret key scrubbed from it (same `name`, scrubbed `message`
 * and `stack`, a system error's `code`, nested causes copied likewise); `message` names the method, the path and the cause chain's messages
 * (`fetch failed: connect ECONNREFUSED 127.0.0.1:9`). `status` is always `undefined` (no response was read), so
 * `.status` can be read on any error of an operation's channel without narrowing.
 *
 * @example
 * ```ts
 * import { TransportError } from "@effect-clerk/core"
 * const error = new TransportError({ reason: "Timeout", message: "timed out after 10s", method: "GET", path: "/users" })
 * console.log(error.reason)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: Schema.Literal("ConnectError", "RequestError", "ResponseError", "ResponseTooLarge", "Timeout"),
  message: Schema.String,
  method: Schema.String,
  path: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /**
   * True when the failure happened before any byte of the request could have reached the server (so even a
   * non-idempotent request is safe to send again).
   *
   * @since 0.1.0
   */
  get beforeSend(): boolean {
    return this.reason === "ConnectError"
  }

  /**
   * No HTTP status: the request got no complete response. Present so `.status` reads on every error of a channel.
   *
   * @since 0.2.0
   */
  get status(): undefined {
    return undefined
  }
}

/**
 * The response arrived but its body is not what the operation promises (HTML, empty, truncated JSON, wrong shape).
 * `message` names the operation, method, path and status and says what is wrong: for JSON of the wrong shape, the
 * Schema's own report (`TreeFormatter`), the secret key scrubbed from it, a value nested deeper than 32 levels
 * shown cut there (`[…]`/`{…}`: printing it whole would overflow the stack); a report over 2,000 characters is cut
 * after its last whole line within them and ends with a line `… N more characters (M lines) of the report left
 * out`. The `ParseError` itself is not kept: it holds the response's values, which may echo the key.
 * `excerpt` holds at most 1 KB of the body (the secret key and any `Bearer …` value removed); `clerkTraceId` the
 * response's correlation id (`clerk_trace_id`, else the `x-clerk-trace-id` or `cf-ray` header) when it had one.
 *
 * @example
 * ```ts
 * import { DecodeError } from "@effect-clerk/core"
 * const error = new DecodeError({ status: 200, message: "not JSON", excerpt: "<html>", operation: "Users.get" })
 * console.log(error.excerpt)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  status: Schema.Number,
  operation: Schema.String,
  message: Schema.String,
  excerpt: Schema.String,
  clerkTraceId: Schema.optional(Schema.String)
}) {}

/**
 * The call's input was refused before any request was sent (an empty id, an id with `/`, a parameter of the wrong
 * type, metadata JSON cannot encode, a file that is not a `Blob` or bytes). `status` is always `undefined`.
 *
 * @example
 * ```ts
 * import { InvalidInput } from "@effect-clerk/core"
 * const error = new InvalidInput({ operation: "Users.get", message: "user_id must not be empty" })
 * console.log(error.message)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  operation: Schema.String,
  message: Schema.String
}) {
  /**
   * No HTTP status: nothing was sent. Present so `.status` reads on every error of a channel.
   *
   * @since 0.2.0
   */
  get status(): undefined {
    return undefined
  }
}

/**
 * The errors any operation can meet besides the statuses it documents.
 *
 * @example
 * ```ts
 * import type { ClerkInfraError } from "@effect-clerk/core"
 * const describe = (e: ClerkInfraError) => e._tag
 * ```
 * @since 0.1.0
 * @category errors
 */
export type ClerkInfraError = UnexpectedStatus | TransportError | DecodeError | InvalidInput

/**
 * The documented-status error classes an endpoint can declare (every one but `TooManyRequests`, which every
 * operation has).
 *
 * @example
 * ```ts
 * import { NotFound, type ClerkError } from "@effect-clerk/core"
 * const declared: ReadonlyArray<ClerkError.StatusErrorClass> = [NotFound]
 * ```
 * @since 0.1.0
 * @category models
 */
export type StatusErrorClass =
  | typeof BadRequest
  | typeof Unauthorized
  | typeof PaymentRequired
  | typeof Forbidden
  | typeof NotFound
  | typeof Conflict
  | typeof UnprocessableEntity
  | typeof InternalServerError

/**
 * Any error for a documented status, `TooManyRequests` included.
 *
 * @example
 * ```ts
 * import type { ClerkError } from "@effect-clerk/core"
 * const codes = (e: ClerkError.StatusError) => e.errors.map((x) => x.code)
 * ```
 * @since 0.1.0
 * @category models
 */
export type StatusError = InstanceType<StatusErrorClass> | TooManyRequests

/**
 * The status each error class stands for.
 *
 * @example
 * ```ts
 * import { ClerkError, NotFound } from "@effect-clerk/core"
 * console.log(ClerkError.statusOf(NotFound)) // 404
 * ```
 * @since 0.1.0
 * @category utils
 */
export const statusOf = (errorClass: StatusErrorClass | typeof TooManyRequests): number =>
  errorClass.fields.status.literals[0]

/**
 * Turns a `Retry-After` header (delay in seconds, or an HTTP date) into a Duration, relative to `nowMillis`.
 * Returns undefined when the header is absent or unusable, so the caller falls back to its own backoff: a negative
 * or non-numeric delay (`-5`, `1e3`, `soon`), a value that is not one of HTTP's date formats, and a date that is
 * not in the future.
 *
 * @example
 * ```ts
 * import { ClerkError } from "@effect-clerk/core"
 * ClerkError.parseRetryAfter("3", Date.now()) // 3 seconds
 * ClerkError.parseRetryAfter("-5", Date.now()) // undefined: use the backoff
 * ClerkError.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.now()) // undefined: in the past
 * ```
 * @since 0.1.0
 * @category utils
 */
export const parseRetryAfter = (header: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) {
    const millis = Math.round(Number(value) * 1000)
    return Number.isFinite(millis) ? Duration.millis(millis) : undefined
  }
  // RFC 9110 HTTP-date (IMF-fixdate, RFC 850, asctime) all start with the day name; anything else (a sign, digits,
  // words) is not a date, even where `Date.parse` would guess one.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /.test(value)) return undefined
  const at = Date.parse(value)
  if (Number.isNaN(at) || at <= nowMillis) return undefined
  return Duration.millis(at - nowMillis)
}
