/**
 * An endpoint is described once (method, path, query and body schemas, success schema, documented errors) and both
 * sides are derived from that description: `call` turns it into a typed Effect for the client, and the emulator's
 * router matches, decodes and answers with the same schemas.
 *
 * @since 0.1.0
 */
import type * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ClerkClient from "./ClerkClient.js"
import {
  BadRequest,
  type ClerkApiError,
  ClerkErrorBody,
  type ClerkInfraError,
  Conflict,
  DecodeError,
  Forbidden,
  InternalServerError,
  InvalidInput,
  NotFound,
  parseRetryAfter,
  PaymentRequired,
  type StatusErrorClass,
  statusOf,
  TooManyRequests,
  Unauthorized,
  UnexpectedStatus,
  UnprocessableEntity
} from "./ClerkError.js"
import * as Codec from "./Codec.js"
import { encodePathSegment, toUrlParams } from "./internal/encoding.js"
import { boundError } from "./internal/issue.js"
import { isPlain, isWellFormed, kindOf, toJson } from "./internal/json.js"
import { readOverrides } from "./internal/overrides.js"
import { scrubbedExcerpt, scrubber, scrubJson } from "./internal/redact.js"
import * as Tracing from "./internal/tracing.js"

/**
 * Any schema without requirements, as endpoints hold them.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const schema: Endpoint.AnySchema = Schema.String
 * ```
 * @since 0.1.0
 * @category models
 */
export type AnySchema = Schema.Schema.AnyNoContext

/**
 * How the request body travels.
 *
 * @example
 * ```ts
 * import { Endpoint } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const body = Endpoint.json(Schema.Struct({ ids: Schema.Array(Schema.String) }))
 * ```
 * @since 0.1.0
 * @category models
 */
export type Body<B extends AnySchema> =
  | { readonly _tag: "None" }
  | { readonly _tag: "Json"; readonly schema: B }
  | { readonly _tag: "Multipart"; readonly fields: ReadonlyArray<string> }

/**
 * An endpoint description.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 *
 * const getThing = Endpoint.make({
 *   name: "Things.get", operationId: "GetThing", method: "GET", path: "/things/{thing_id}",
 *   success: Schema.Struct({ id: Schema.String }), errors: [NotFound]
 * })
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Endpoint<
  out Q extends AnySchema,
  out B extends AnySchema,
  out S extends AnySchema,
  out Errors extends ReadonlyArray<StatusErrorClass>
> {
  readonly name: string
  readonly operationId: string
  readonly summary: string
  readonly method: ClerkClient.Method
  /** A path template with `{param}` placeholders, as in Clerk's spec. */
  readonly path: string
  readonly pathParams: ReadonlyArray<string>
  readonly query: Q | undefined
  readonly body: Body<B>
  readonly success: S
  readonly errors: Errors
  readonly idempotent: ClerkClient.Idempotency
}

/**
 * Any endpoint.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * const names = (endpoints: ReadonlyArray<Endpoint.Any>) => endpoints.map((e) => e.name)
 * ```
 * @since 0.1.0
 * @category models
 */
export type Any = Endpoint<AnySchema, AnySchema, AnySchema, ReadonlyArray<StatusErrorClass>>

/**
 * The error channel of an endpoint: its documented statuses, `TooManyRequests`, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * type E<X extends Endpoint.Any> = Endpoint.Error<X>
 * ```
 * @since 0.1.0
 * @category models
 */
export type Error<E> = E extends Endpoint<infer _Q, infer _B, infer _S, infer Errors> ?
  InstanceType<Errors[number]> | TooManyRequests | ClerkInfraError
  : never

/**
 * The decoded success value of an endpoint.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * type A<X extends Endpoint.Any> = Endpoint.Success<X>
 * ```
 * @since 0.1.0
 * @category models
 */
export type Success<E> = E extends Endpoint<infer _Q, infer _B, infer S, infer _Errors> ? Schema.Schema.Type<S> : never

/**
 * JSON body.
 *
 * @example
 * ```ts
 * import { Endpoint } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const body = Endpoint.json(Schema.Struct({ user_ids: Schema.Array(Schema.String) }))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const json = <B extends AnySchema>(schema: B): Body<B> => ({ _tag: "Json", schema })

/**
 * Multipart body with the given file fields.
 *
 * @example
 * ```ts
 * import { Endpoint } from "@effect-clerk/core"
 * const body = Endpoint.multipart(["file"])
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const multipart = (fields: ReadonlyArray<string>): Body<typeof Schema.Void> => ({ _tag: "Multipart", fields })

/**
 * Describes an endpoint. `pathParams` are read from the template.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const endpoint = Endpoint.make({
 *   name: "Users.lock", operationId: "LockUser", method: "POST", path: "/users/{user_id}/lock",
 *   success: Schema.Struct({ id: Schema.String }), errors: [NotFound], idempotent: true
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  const Errors extends ReadonlyArray<StatusErrorClass>,
  S extends AnySchema,
  Q extends AnySchema = typeof Schema.Void,
  B extends AnySchema = typeof Schema.Void
>(options: {
  readonly name: string
  readonly operationId: string
  readonly method: ClerkClient.Method
  readonly path: string
  readonly summary?: string | undefined
  readonly query?: Q | undefined
  readonly body?: Body<B> | undefined
  readonly success: S
  readonly errors: Errors
  readonly idempotent?: ClerkClient.Idempotency | undefined
}): Endpoint<Q, B, S, Errors> => ({
  name: options.name,
  operationId: options.operationId,
  summary: options.summary ?? options.name,
  method: options.method,
  path: options.path,
  pathParams: Array.from(options.path.matchAll(/\{([^}]+)\}/g), (m) => m[1] ?? ""),
  query: options.query,
  body: options.body ?? { _tag: "None" },
  success: options.success,
  errors: options.errors,
  idempotent: options.idempotent ?? (options.method !== "POST" && options.method !== "PATCH")
})

/**
 * The input of one call.
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const Query = Schema.Struct({ limit: Schema.optional(Schema.NumberFromString) })
 * const input: Endpoint.Input<typeof Query, typeof Schema.Void> = { path: ["user_1"], query: { limit: 10 } }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Input<Q extends AnySchema, B extends AnySchema> {
  readonly path?: ReadonlyArray<string>
  readonly query?: Schema.Schema.Type<Q> | undefined
  readonly body?: Schema.Schema.Type<B> | undefined
  readonly formData?: FormData | undefined
  /** Set when the request carries an idempotency key: makes a POST safe to retry. */
  readonly keyed?: boolean | undefined
}

const statusErrorFor = (
  endpoint: Any,
  status: number
): StatusErrorClass | undefined => endpoint.errors.find((errorClass) => statusOf(errorClass) === status)

const decodeEnvelope = Schema.decodeUnknownOption(ClerkErrorBody)

/**
 * Clerk's error envelope in a body, every string of it (messages, trace id, `meta` keys and values, nested) scrubbed
 * after parsing: `JSON.parse` turns `\u` escapes back into the key's characters, which scrubbing the raw text alone
 * would let through.
 */
const decodeErrorBody = (body: string, scrub: (text: string) => string) => {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return Option.none()
  }
  return decodeEnvelope(scrubJson(parsed, scrub))
}

/**
 * Why `JSON.parse` refused a body, without V8's own message: that quotes up to 10 characters of the body (`Unexpected
 * token 'A', "[1,Ab3dEf6hIj"... is not valid JSON`), which scrubbing cannot recognise as part of the key. The
 * position is kept when V8 gives one; the error's scrubbed excerpt shows the body.
 */
const notJson = (cause: unknown): string => {
  const text = cause instanceof Error ? cause.message : ""
  const position = /at position (\d+)/.exec(text)
  if (position !== null) return `response is not JSON (invalid at position ${position[1]})`
  return /end of JSON input/i.test(text) ? "response is not JSON (it ends early)" : "response is not JSON"
}

/**
 * The Schema's `TreeFormatter` report, the values it shows cut at `boundError`'s depth (a body nested thousands of
 * levels deep would overflow the stack while being printed). Formatting that fails anyway (a recursive schema's issue
 * tree deeper than the stack) gives a sentence instead: a report is never a defect.
 */
const treeReport = (error: ParseResult.ParseError): string => {
  try {
    return ParseResult.TreeFormatter.formatErrorSync(boundError(error))
  } catch (thrown) {
    return `the Schema's report could not be made (${thrown instanceof RangeError ? "it nests too deep" : "it threw"})`
  }
}

/** The most characters of the Schema's report an error message holds. */
const maxReport = 2000

/**
 * The Schema's own report for a message: scrubbed first (a cut could split the key where scrubbing no longer finds
 * it), then, past `maxReport` characters, cut after the last whole line that fits (inside the first line only when
 * it alone is longer) and ended with a line saying how much was left out.
 */
const issueMessage = (error: ParseResult.ParseError, scrub: (text: string) => string = identity) => {
  const report = scrub(treeReport(error))
  if (report.length <= maxReport) return report
  const end = report.lastIndexOf("\n", maxReport)
  const kept = end > 0 ? report.slice(0, end) : report.slice(0, maxReport)
  let lines = end > 0 ? 0 : 1
  for (let i = kept.length; i < report.length; i++) if (report.charCodeAt(i) === 10) lines++
  return `${kept}\n… ${report.length - kept.length} more characters (${lines} line${
    lines === 1 ? "" : "s"
  }) of the report left out`
}

/**
 * What `decodeResponse` knows about the request, for error messages: the method and the path actually sent, and
 * the secret key, which is removed from everything taken from the response (a server may echo the `Authorization`
 * header back).
 *
 * @example
 * ```ts
 * import type { Endpoint } from "@effect-clerk/core"
 * import { Redacted } from "effect"
 * const context: Endpoint.DecodeContext = { method: "GET", path: "/users/user_1", secretKey: Redacted.make("sk_test_xxx") }
 * ```
 * @since 0.2.0
 * @category decoding
 */
export interface DecodeContext {
  readonly method?: string | undefined
  readonly path?: string | undefined
  readonly secretKey?: Redacted.Redacted<string> | undefined
}

/**
 * The best correlation id a response carries: Clerk's `clerk_trace_id` from the body, else an `x-clerk-trace-id`
 * header, else Cloudflare's `cf-ray` (Clerk's API sits behind Cloudflare, so even a proxy's HTML page has one).
 */
const correlationId = (
  fromBody: string | undefined,
  headers: Readonly<Record<string, string>>
): string | undefined => {
  for (const candidate of [fromBody, headers["x-clerk-trace-id"], headers["cf-ray"]]) {
    if (candidate !== undefined && candidate.trim() !== "") return candidate.trim().slice(0, 256)
  }
  return undefined
}

const traceIdInBody = (parsed: unknown): string | undefined =>
  typeof parsed === "object" && parsed !== null && "clerk_trace_id" in parsed &&
    typeof parsed.clerk_trace_id === "string"
    ? parsed.clerk_trace_id
    : undefined

/**
 * Turns a complete response into the endpoint's success value or its typed error. Exposed for the emulator's
 * tests and for callers holding a raw `ClerkResponse`. Every error built from the response carries the best
 * correlation id (`clerk_trace_id`, else `x-clerk-trace-id`, else `cf-ray`); messages and excerpts never contain
 * the `context`'s secret key or any `Bearer …` value, whatever the server sent.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const endpoint = Endpoint.make({ name: "x", operationId: "X", method: "GET", path: "/x", success: Schema.String, errors: [NotFound] })
 * const result = Endpoint.decodeResponse(endpoint, { status: 404, headers: {}, body: '{"errors":[]}' }, Date.now())
 * ```
 * @since 0.1.0
 * @category decoding
 */
export const decodeResponse = <
  Q extends AnySchema,
  B extends AnySchema,
  S extends AnySchema,
  Errors extends ReadonlyArray<StatusErrorClass>
>(
  endpoint: Endpoint<Q, B, S, Errors>,
  response: ClerkClient.ClerkResponse,
  nowMillis: number,
  context: DecodeContext = {}
): Effect.Effect<Schema.Schema.Type<S>, Error<Endpoint<Q, B, S, Errors>>> => {
  const { status } = response
  const scrub = scrubber(context.secretKey)
  const where = `${endpoint.name} (${context.method ?? endpoint.method} ${context.path ?? endpoint.path})`
  if (status >= 200 && status < 300) return decodeSuccess(endpoint, response, where, scrub)
  const body = response.body
  const headers = response.headers
  const envelope = decodeErrorBody(response.body, scrub)
  const errors: ReadonlyArray<ClerkApiError> = envelope._tag === "Some" ? envelope.value.errors : []
  const fromBody = envelope._tag === "Some" ? envelope.value.clerkTraceId : undefined
  const traceId = correlationId(fromBody, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, scrub(v)])))
  const first = errors[0]
  const message = first
    ? (first.longMessage ?? first.message)
    : status >= 300 && status < 400
    ? `${where}: HTTP ${status}, a redirect to ${
      scrubbedExcerpt(scrub, headers["location"] ?? "nowhere", 200)
    }, not followed (Clerk never redirects)`
    : `${where}: HTTP ${status} without Clerk's error envelope: ${scrubbedExcerpt(scrub, body, 200)}`
  const common = traceId === undefined ? { message, errors } : { message, errors, clerkTraceId: traceId }
  if (status === 429) {
    const retryAfter = parseRetryAfter(headers["retry-after"], nowMillis)
    return Effect.fail(
      new TooManyRequests(
        retryAfter === undefined ? { ...common, status: 429 } : { ...common, status: 429, retryAfter }
      )
    )
  }
  const errorClass = statusErrorFor(endpoint, status)
  if (errorClass !== undefined) {
    // `statusErrorFor` found the class among `endpoint.errors`, so the instance is one of `Errors[number]`.
    return Effect.fail(construct(statusOf(errorClass), common) as InstanceType<Errors[number]>)
  }
  const unexpected = first
    ? `${where}: HTTP ${status}, a status this operation does not document: ${message}`
    : message
  return Effect.fail(
    new UnexpectedStatus({ ...common, message: unexpected, status, excerpt: scrubbedExcerpt(scrub, body) })
  )
}

const decodeSuccess = <S extends AnySchema>(
  endpoint: { readonly name: string; readonly success: S },
  response: ClerkClient.ClerkResponse,
  where: string,
  scrub: (text: string) => string
): Effect.Effect<Schema.Schema.Type<S>, DecodeError> => {
  const body = response.body
  if (body.trim() === "") return Effect.fail(decodeFailure(endpoint, response, where, scrub, "empty response body"))
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (cause) {
    return Effect.fail(decodeFailure(endpoint, response, where, scrub, notJson(cause)))
  }
  const decoded: Either.Either<Schema.Schema.Type<S>, ParseResult.ParseError> = Codec.decodeUnknownEither(
    endpoint.success
  )(parsed)
  return decoded._tag === "Right"
    ? Effect.succeed(decoded.right)
    : Effect.fail(
      decodeFailure(
        endpoint,
        response,
        where,
        scrub,
        `response does not match the schema: ${issueMessage(decoded.left, scrub)}`,
        parsed
      )
    )
}

/** The `DecodeError` for a 2xx body that is not what the endpoint promises (built only on failure). */
const decodeFailure = (
  endpoint: { readonly name: string },
  response: ClerkClient.ClerkResponse,
  where: string,
  scrub: (text: string) => string,
  problem: string,
  parsed?: unknown
): DecodeError => {
  const { body, status } = response
  const traceId = correlationId(scrubbedExcerpt(scrub, traceIdInBody(parsed) ?? "", 256), response.headers)
  const fields = {
    status,
    operation: endpoint.name,
    message: scrub(`${where}: HTTP ${status}: ${problem}`),
    excerpt: scrubbedExcerpt(scrub, body)
  }
  return new DecodeError(traceId === undefined ? fields : { ...fields, clerkTraceId: scrub(traceId) })
}

const construct = (
  status: number,
  common: { readonly message: string; readonly errors: ReadonlyArray<ClerkApiError>; readonly clerkTraceId?: string }
): InstanceType<StatusErrorClass> => {
  switch (status) {
    case 400:
      return new BadRequest({ ...common, status })
    case 401:
      return new Unauthorized({ ...common, status })
    case 402:
      return new PaymentRequired({ ...common, status })
    case 403:
      return new Forbidden({ ...common, status })
    case 404:
      return new NotFound({ ...common, status })
    case 409:
      return new Conflict({ ...common, status })
    case 422:
      return new UnprocessableEntity({ ...common, status })
    default:
      return new InternalServerError({ ...common, status: 500 })
  }
}

/**
 * Encodes the input into a `ClerkRequest`, refusing malformed ids and ill-typed parameters with `InvalidInput`
 * before anything is sent.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const endpoint = Endpoint.make({ name: "x", operationId: "X", method: "GET", path: "/x/{id}", success: Schema.String, errors: [NotFound] })
 * const request = Endpoint.encodeRequest(endpoint, { path: ["a b"] }) // fails with InvalidInput
 * ```
 * @since 0.1.0
 * @category encoding
 */
export const encodeRequest = <
  Q extends AnySchema,
  B extends AnySchema,
  S extends AnySchema,
  Errors extends ReadonlyArray<StatusErrorClass>
>(
  endpoint: Endpoint<Q, B, S, Errors>,
  input: Input<Q, B>
): Effect.Effect<ClerkClient.ClerkRequest, InvalidInput> => Effect.suspend(() => encode(endpoint, input))

/**
 * `encodeRequest` without an effect: the request, or why the input is refused. Every value is checked before a
 * schema reads it (a cycle, a throwing getter, a bigint in metadata) and the encoded body is copied through the same
 * check, so what is sent is exactly what was given, or nothing is. The checks read caller values only through guarded
 * paths; should a schema still meet a value that throws when read, the call is refused like any other bad input
 * rather than dying.
 */
const encode = (
  endpoint: Any,
  input: Input<AnySchema, AnySchema>
): Either.Either<ClerkClient.ClerkRequest, InvalidInput> => {
  const invalid = (message: string): Either.Either<never, InvalidInput> =>
    Either.left(new InvalidInput({ operation: endpoint.name, message }))
  try {
    const values = input.path ?? []
    if (values.length !== endpoint.pathParams.length) {
      return invalid(`${endpoint.name} expects ${endpoint.pathParams.length} path parameter(s)`)
    }
    let path = endpoint.path
    for (let i = 0; i < endpoint.pathParams.length; i++) {
      const name = endpoint.pathParams[i] ?? ""
      const segment = encodePathSegment(values[i])
      if (segment._tag === "Left") return invalid(`${endpoint.name}: ${name} ${segment.left}`)
      path = path.replace(`{${name}}`, segment.right)
    }
    const encodeWith = (schema: AnySchema, value: unknown, what: string): Either.Either<unknown, InvalidInput> => {
      // params and bodies are objects of named fields: a Date, Map or class instance at the top is not one
      if (typeof value === "object" && value !== null && !Array.isArray(value) && !isPlain(value)) {
        return invalid(`${endpoint.name}: invalid ${what}: ${what} is ${kindOf(value)}, not a plain object`)
      }
      const checked = toJson(value, "check", what)
      if (!checked.ok) return invalid(`${endpoint.name}: invalid ${what}: ${checked.message}`)
      const encoded = Schema.encodeUnknownEither(schema, { onExcessProperty: "error" })(value)
      return encoded._tag === "Right"
        ? Either.right(encoded.right)
        : invalid(`${endpoint.name}: invalid ${what}: ${issueMessage(encoded.left)}`)
    }
    let urlParams: UrlParams.UrlParams = []
    if (endpoint.query !== undefined && input.query !== undefined) {
      const query = encodeWith(endpoint.query, input.query, "query parameters")
      if (query._tag === "Left") return Either.left(query.left)
      urlParams = toUrlParams(query.right)
      const malformed = urlParams.find(([, value]) => !isWellFormed(value))
      if (malformed !== undefined) {
        return invalid(`${endpoint.name}: query parameter ${malformed[0]} has a lone surrogate (not UTF-16 text)`)
      }
    }
    let body: ClerkClient.RequestBody = { _tag: "None" }
    if (endpoint.body._tag === "Json") {
      const encoded = encodeWith(endpoint.body.schema, input.body === undefined ? {} : input.body, "body")
      if (encoded._tag === "Left") return Either.left(encoded.left)
      const json = toJson(encoded.right, "copy", "body")
      if (!json.ok) return invalid(`${endpoint.name}: invalid body: ${json.message}`)
      body = { _tag: "Json", value: json.value }
    } else if (endpoint.body._tag === "Multipart") {
      if (!(input.formData instanceof FormData)) return invalid(`${endpoint.name}: a multipart body is required`)
      body = { _tag: "FormData", value: input.formData }
    }
    return Either.right({
      operation: endpoint.name,
      method: endpoint.method,
      path,
      urlParams,
      body,
      idempotent: endpoint.idempotent === true || (endpoint.idempotent === "keyed" && input.keyed === true)
    })
  } catch (defect) {
    return invalid(`${endpoint.name}: ${describeDefect(defect)}`)
  }
}

const describeDefect = (defect: unknown): string => {
  try {
    return `the input could not be read (${
      defect instanceof Error ? `${defect.name}: ${defect.message}` : typeof defect
    })`
  } catch {
    return "the input could not be read"
  }
}

/**
 * Calls the endpoint through `ClerkClient`: encode, send, map the status, decode.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const endpoint = Endpoint.make({ name: "Things.get", operationId: "GetThing", method: "GET", path: "/things/{id}", success: Schema.Struct({ id: Schema.String }), errors: [NotFound] })
 * const thing = Endpoint.call(endpoint, { path: ["thing_1"] })
 * ```
 * @since 0.1.0
 * @category calling
 */
export const call = <
  Q extends AnySchema,
  B extends AnySchema,
  S extends AnySchema,
  Errors extends ReadonlyArray<StatusErrorClass>
>(
  endpoint: Endpoint<Q, B, S, Errors>,
  input: Input<Q, B>
): Effect.Effect<Schema.Schema.Type<S>, Error<Endpoint<Q, B, S, Errors>>, ClerkClient.ClerkClient> =>
  // one step reads what a call needs from the fiber: the per-call overrides (an unusable `withTimeout` or
  // `ClerkRetry.withOptions` value, or `currentTimeout`/`currentOverride` set directly to one: refused, nothing sent)
  // and the client
  Effect.withFiberRuntime((fiber) => {
    const overrides = readOverrides(fiber)
    if (typeof overrides === "string") {
      return Effect.fail(new InvalidInput({ operation: endpoint.name, message: overrides }))
    }
    const client = Context.unsafeGet(fiber.currentContext, ClerkClient.ClerkClient)
    const request = encode(endpoint, input)
    if (request._tag === "Left") return Effect.fail(request.left)
    const context = { method: request.right.method, path: request.right.path, secretKey: client.config.secretKey }
    const called = Effect.flatMap(client.execute(request.right), (response) =>
      // the clock matters only to a 429's Retry-After
      response.status === 429
        ? Effect.clockWith((clock) => decodeResponse(endpoint, response, clock.unsafeCurrentTimeMillis(), context))
        : decodeResponse(endpoint, response, 0, context))
    return overrides === undefined ? called : overrides(called)
  })

/**
 * Makes a named operation from a function returning an effect, as `Effect.fn(name)` does, with spans that cost
 * nothing when nobody reads them. Under a tracer you installed (`Layer.setTracer`, `Effect.withTracer`,
 * `@effect/opentelemetry`), each call runs in a span named `name`, exactly as `Effect.fn` makes it: kind
 * `internal`, the parent of the spans made inside (the request's `ClerkClient.execute`), ended with the call's
 * exit (so a failure is recorded), and on failure a `code.stacktrace` attribute naming where the operation is
 * defined and where it was called. Under Effect's native tracer (the default: its spans are only in-memory objects
 * nobody reads) or with tracing disabled (`Effect.withTracerEnabled(false)`), no span is made and no stack is
 * captured: the effect runs as is. Every `Users` operation is one.
 *
 * @example
 * ```ts
 * import { Endpoint, NotFound } from "@effect-clerk/core"
 * import { Schema } from "effect"
 * const lock = Endpoint.make({
 *   name: "Users.lock", operationId: "LockUser", method: "POST", path: "/users/{user_id}/lock",
 *   success: Schema.Struct({ id: Schema.String }), errors: [NotFound], idempotent: true
 * })
 * const lockUser = Endpoint.fn("Users.lock")((userId: string) => Endpoint.call(lock, { path: [userId] }))
 * const program = lockUser("user_2abc")
 * ```
 * @since 0.2.0
 * @category calling
 */
export const fn = (name: string) =>
<Args extends ReadonlyArray<unknown>, A, E, R>(
  body: (...args: Args) => Effect.Effect<A, E, R>
): (...args: Args) => Effect.Effect<A, E, R> => Tracing.operation(name, body)
