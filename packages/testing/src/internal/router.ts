import { ClerkError, Codec, type Endpoint } from "@effect-clerk/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { traceId } from "./crypto.js"
import { ApiFailure, type ErrorEntry, integerRange } from "./failure.js"
import { type FaultDecision, type Faults, malformedBody, noFaults, unfaulted } from "./faults.js"
import type { HandlerInput, Route } from "./handlers/index.js"
import { notJsonAt } from "./metadata.js"
import type { RateLimiter } from "./rateLimit.js"
import {
  loadSpec,
  type QueryKind,
  queryParameterKinds,
  readQuery,
  requiredBodyOperations,
  type SpecValidator
} from "./validation.js"

// ---- routes ---------------------------------------------------------------------------------------------------

interface CompiledRoute {
  readonly route: Route
  readonly pattern: RegExp
  readonly literalSegments: number
}

/** An endpoint's path as a pattern, built once per endpoint (every emulator of a process routes the same ones). */
const patterns = new WeakMap<Endpoint.Any, { readonly pattern: RegExp; readonly literalSegments: number }>()

const compile = (route: Route): CompiledRoute => {
  let compiled = patterns.get(route.endpoint)
  if (compiled === undefined) {
    const segments = route.endpoint.path.split("/").filter((s) => s !== "")
    const pattern = new RegExp(
      `^/${
        segments.map((s) => (s.startsWith("{") ? "([^/]+)" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")
      }/?$`
    )
    compiled = { pattern, literalSegments: segments.filter((s) => !s.startsWith("{")).length }
    patterns.set(route.endpoint, compiled)
  }
  return { route, ...compiled }
}

/**
 * Matches method + path against the routes' templates; more literal segments win (`/users/count` over `/users/{id}`).
 *
 * @internal
 */
export const makeMatcher = (routes: ReadonlyArray<Route>) => {
  const compiled = routes.map(compile).sort((a, b) => b.literalSegments - a.literalSegments)
  // the candidates of each method, in the same order (only they are tried)
  const byMethod = new Map<string, Array<CompiledRoute>>()
  for (const candidate of compiled) {
    const method = candidate.route.endpoint.method
    const list = byMethod.get(method)
    if (list === undefined) byMethod.set(method, [candidate])
    else list.push(candidate)
  }
  const match = (method: string, path: string) => {
    for (const candidate of byMethod.get(method) ?? []) {
      const m = candidate.pattern.exec(path)
      if (m) return { route: candidate.route, params: m.slice(1) }
    }
    return undefined
  }
  /** The methods some route serves at this path (for a 405's `Allow`). */
  const methodsAt = (path: string): ReadonlyArray<string> => [
    ...new Set(compiled.filter((c) => c.pattern.test(path)).map((c) => c.route.endpoint.method))
  ]
  return Object.assign(match, { methodsAt })
}

/** Percent-decodes path ids; `undefined` when one is not valid percent-encoded UTF-8 (`%ZZ`, `%E0%A4%A`). */
const decodePathParams = (params: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  try {
    return params.map((p) => decodeURIComponent(p))
  } catch {
    return undefined
  }
}

// ---- Clerk's envelope ---------------------------------------------------------------------------------------------

// compiled (exactly Schema.encode's result); a failure, which the envelope's own values never give, throws as
// `Schema.encodeSync` does
const encodeErrorsCompiled = Codec.encodeUnknownEither(ClerkError.ClerkErrorBody)
const encodeErrors = (body: typeof ClerkError.ClerkErrorBody.Type) => {
  const encoded = encodeErrorsCompiled(body)
  return Either.isRight(encoded) ? encoded.right : Schema.encodeSync(ClerkError.ClerkErrorBody)(body)
}

/** @internal */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
  stringified: true
})

/** @internal */
export const errorBody = (errors: ReadonlyArray<ErrorEntry>) =>
  encodeErrors({
    errors: errors.map((e) => (e.meta === undefined
      ? { code: e.code, message: e.message, longMessage: e.longMessage }
      : { code: e.code, message: e.message, longMessage: e.longMessage, meta: e.meta })
    ),
    clerkTraceId: traceId()
  })

const failure = (
  status: number,
  code: string,
  message: string,
  longMessage: string,
  headers?: Record<string, string>
) => new ApiFailure({ status, headers, errors: [{ code, message, longMessage }] })

interface ValidationIssue {
  readonly path: string
  readonly message: string
  readonly keyword: string
  readonly params: Readonly<Record<string, unknown>>
}

const issueEntry = (issue: ValidationIssue): ErrorEntry => {
  const inBody = issue.path.startsWith("/requestBody")
  const missing = typeof issue.params["missingProperty"] === "string" ? issue.params["missingProperty"] : undefined
  const extra = typeof issue.params["additionalProperty"] === "string" ? issue.params["additionalProperty"] : undefined
  const param = missing ?? extra ??
    issue.path.split("/").filter((s) => s !== "" && s !== "requestBody" && s !== "query").join(".")
  if (missing !== undefined) {
    return {
      code: "form_param_missing",
      message: `${param} is missing`,
      longMessage: `${param} is required.`,
      meta: { param_name: param }
    }
  }
  if (extra !== undefined) {
    return {
      code: "form_param_unknown",
      message: `${param} is not a valid parameter`,
      longMessage: `${param} is not a valid parameter for this request.`,
      meta: { param_name: param }
    }
  }
  if (param === "") {
    // an issue with the body as a whole (an array where an object is expected)
    return {
      code: "form_param_format_invalid",
      message: "request body is invalid",
      longMessage: `The request body ${issue.message}.`
    }
  }
  return {
    code: "form_param_format_invalid",
    message: `${param} is invalid`,
    longMessage: `${param} ${issue.message}${inBody ? "" : " (query)"}`,
    meta: { param_name: param }
  }
}

const validationFailure = (endpoint: Endpoint.Any, issues: ReadonlyArray<ValidationIssue>) => {
  const errors = issues.slice(0, 10).map(issueEntry)
  // Clerk answers a malformed body with 422 and malformed query/path parameters with 400; where the operation
  // documents only one of the two, that one is used
  const documented = new Set(endpoint.errors.map((e) => ClerkError.statusOf(e)))
  const preferred = issues.some((i) => i.path.startsWith("/requestBody")) ? 422 : 400
  const other = preferred === 422 ? 400 : 422
  const status = documented.has(preferred) || !documented.has(other) ? preferred : other
  return new ApiFailure({ status, errors })
}

// ---- the pipeline -------------------------------------------------------------------------------------------------

let queryKindsCache: ReadonlyMap<string, ReadonlyMap<string, QueryKind>> | undefined
const queryKindsCached = () => (queryKindsCache ??= queryParameterKinds(loadSpec()))
let requiredBodiesCache: ReadonlySet<string> | undefined
const requiredBodies = () => (requiredBodiesCache ??= requiredBodyOperations(loadSpec()))

const tooLarge = (limit: number) =>
  failure(413, "request_body_too_large", "request body too large", `The request body exceeds ${limit} bytes.`)

/**
 * A request as the pipeline reads it: what the web handler takes apart and what `ClerkTest`'s in-process client
 * gives directly (no `Request` to build and read back).
 *
 * @internal
 */
export interface RawRequest {
  readonly method: string
  /** The URL, or already parsed (`ClerkTest`'s client has it as a `URL`; it is only read). */
  readonly url: string | URL
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** The body as text (read once, when the endpoint takes JSON or none). */
  readonly text: Effect.Effect<string>
  /**
   * The body as text without waiting, where the caller holds it already (`ClerkTest`'s client): read instead of
   * `text`, so the request is answered without an asynchronous step.
   */
  readonly textNow?: (() => string) | undefined
  /** The body as multipart form data (when the endpoint takes multipart); fails when it is not one. */
  readonly formData: Effect.Effect<FormData, unknown>
  /** The client's abort signal: a Latency fault stops waiting when it aborts (under the live clock). */
  readonly signal?: AbortSignal | undefined
}

/** A complete answer: status, headers and the body as text. @internal */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /**
   * The body is `JSON.stringify` output: well-formed UTF-16 (lone surrogates are escaped) that starts with `{`, `[`,
   * `"`, a digit, `-`, `t`, `f` or `n`, never a BOM. Lets the web handler answer `text()` from the string itself.
   */
  readonly stringified?: boolean
}

// a digit before an exponent, or 309 digits in a row (from the run's first digit only: linear in the text's length)
const numberMayOverflow = /\d[eE]|(?<!\d)\d{309}/

const malformedRequest = (longMessage: string) =>
  failure(400, "malformed_request_body", "malformed request body", longMessage)

/**
 * A JSON (or absent) body from its text: `{}` for an empty body of an endpoint taking JSON (unless the spec marks its
 * body required: then a 400, as Go's decoder meets the end of the input), else the parsed object; too long, not
 * JSON, or JSON that is not an object or array is a failure (returned, not thrown).
 */
const parseBody = (text: string, endpoint: Endpoint.Any, limit: number): ApiFailure | { readonly json: unknown } => {
  if (text.length > limit) return tooLarge(limit)
  if (endpoint.body._tag === "None") return { json: undefined }
  if (text.trim() === "") {
    return requiredBodies().has(endpoint.operationId)
      ? malformedRequest("The request body is empty; this operation requires a JSON object.")
      : { json: {} }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return malformedRequest("The request body is not valid JSON.")
  }
  // every JSON body the spec describes is an object or an array; a bare string, number, boolean or null is as
  // malformed as text that does not parse (the spec validator would re-parse a string as JSON and blame the query)
  if (typeof parsed !== "object" || parsed === null) {
    return malformedRequest(`The request body is a JSON ${parsed === null ? "null" : typeof parsed}, not an object.`)
  }
  // JSON.parse reads a number past float64 (`1e400`, 309 digits) as ±Infinity, which would be stored and answered as
  // null; Clerk (Go's decoder) refuses it. Only a number with an exponent or 309 digits in a row can be one
  if (numberMayOverflow.test(text)) {
    const out = notJsonAt(parsed)
    if (out !== undefined) {
      return malformedRequest(
        `The request body has a number out of range at ${
          out.path.slice(0, 200)
        }: JSON numbers must lie within ±${Number.MAX_VALUE} (64-bit floats).`
      )
    }
  }
  return { json: parsed }
}

interface Body {
  readonly json: unknown
  readonly formData: FormData | undefined
}

/**
 * Reads the body: the declared size first, then multipart form data, or the text (at once when the caller holds
 * it, `textNow`) parsed as JSON; `then` continues with it.
 */
const readBody = <A>(
  request: RawRequest,
  endpoint: Endpoint.Any,
  maxBodyBytes: number,
  then: (body: Body) => Effect.Effect<A, ApiFailure>
): Effect.Effect<A, ApiFailure> => {
  const length = Number(request.headers["content-length"] ?? "0")
  const limit = endpoint.body._tag === "Multipart" ? maxBodyBytes * 10 : maxBodyBytes
  if (length > limit) return Effect.fail(tooLarge(limit))
  if (endpoint.body._tag === "Multipart") {
    return Effect.flatMap(
      Effect.mapError(
        request.formData,
        () =>
          failure(400, "malformed_request_body", "malformed multipart body", "The multipart body could not be read.")
      ),
      (form) => then({ json: undefined, formData: form })
    )
  }
  return request.textNow === undefined
    ? Effect.flatMap(request.text, (text) => bodyFromText(text, endpoint, limit, then))
    : bodyFromText(request.textNow(), endpoint, limit, then)
}

const bodyFromText = <A>(
  text: string,
  endpoint: Endpoint.Any,
  limit: number,
  then: (body: Body) => Effect.Effect<A, ApiFailure>
): Effect.Effect<A, ApiFailure> => {
  const parsed = parseBody(text, endpoint, limit)
  return parsed instanceof ApiFailure ? Effect.fail(parsed) : then({ json: parsed.json, formData: undefined })
}

/** A decode error's text; Effect's formatter overflows the stack on a value nested thousands deep, so guarded. */
const describeError = (error: unknown) => {
  try {
    return String(error).slice(0, 500)
  } catch {
    return "The value does not match the schema (it is nested too deeply to describe)."
  }
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const isNullMember = (issue: ParseResult.ArrayFormatterIssue) => issue.message.startsWith("Expected null, actual")

/**
 * A decode failure as Clerk words one: an entry per field at fault (`param_name`, "amount is invalid"), not the
 * schema's tree. The issue's own text is cut short (it quotes the value, which may be large).
 */
const decodeIssues = (what: string, error: unknown): Array<ErrorEntry> => {
  let issues: ReadonlyArray<ParseResult.ArrayFormatterIssue> = []
  try {
    if (ParseResult.isParseError(error)) {
      const all = ParseResult.ArrayFormatter.formatErrorSync(error)
      // a nullable field's `null` member is no news when its other member has said what is wrong
      const said = new Set(all.filter((issue) => !isNullMember(issue)).map((issue) => issue.path.join("\u0000")))
      issues = all
        .filter((issue) => !issue.message.startsWith("Expected undefined"))
        .filter((issue) => !isNullMember(issue) || !said.has(issue.path.join("\u0000")))
        .slice(0, 5)
    }
  } catch {
    issues = []
  }
  if (issues.length === 0) {
    return [{ code: "form_param_format_invalid", message: `invalid ${what}`, longMessage: describeError(error) }]
  }
  return issues.map((issue) => {
    const param = issue.path.map((key) => typeof key === "string" ? snakeCase(key) : String(key)).join(".")
    // Schema's Int is a safe integer: say so, with the range the field takes, rather than call 2^53 "not an integer"
    const notInteger = /^Expected an integer, actual (.*)$/s.exec(issue.message)
    if (notInteger !== null && param !== "") {
      return {
        code: "form_param_format_invalid",
        message: `${param} is invalid`,
        longMessage: integerRange(param, (notInteger[1] ?? "").slice(0, 100)),
        meta: { param_name: param }
      }
    }
    const message = issue.message
    const detail = message.length > 200 ? `${message.slice(0, 200)}…` : message
    return param === ""
      ? {
        code: "form_param_format_invalid",
        message: `invalid ${what}`,
        longMessage: `The ${what} is invalid: ${detail}`
      }
      : {
        code: "form_param_format_invalid",
        message: `${param} is invalid`,
        longMessage: `${param} ${detail.startsWith("must ") ? detail : `does not have an accepted value: ${detail}`}`,
        meta: { param_name: param }
      }
  })
}

/** What the request pipeline needs. @internal */
export interface PipelineOptions<Dropped> {
  readonly routes: ReadonlyArray<Route>
  readonly validator: SpecValidator
  readonly secretKeys: ReadonlySet<string>
  readonly validateRequests: boolean
  readonly validateResponses: boolean
  readonly maxBodyBytes: number
  readonly faults: Faults
  readonly rateLimiter: RateLimiter
  /** The emulator's time. */
  readonly now: Effect.Effect<number>
  /** Records a request (the request log). */
  readonly record: (
    entry:
      & { readonly operation: string | undefined; readonly method: string; readonly path: string }
      & { readonly status: number | "dropped"; readonly at: number }
  ) => void
  /** The error of a dropped connection. */
  readonly dropped: (kind: "refused" | "reset", afterProcessing: boolean) => Dropped
}

/**
 * The part of the pipeline after routing: body, spec validation, decode, handler, encode; and the response check.
 * Everything up to the handler runs as plain code (failures are returned, not thrown): the handler is the only
 * effect, besides reading a body the caller does not hold yet.
 *
 * @internal
 */
const makeProcessor = (options: PipelineOptions<unknown>) => {
  const validator = options.validator
  const queryKinds = queryKindsCached()
  const noKinds: ReadonlyMap<string, QueryKind> = new Map()

  /** The answer, once checked against the spec (when `validateResponses`): a mismatch is the emulator's bug. */
  const answer = (
    endpoint: Endpoint.Any | undefined,
    status: number,
    body: unknown,
    headers?: Record<string, string>
  ): Effect.Effect<RawResponse> => {
    if (options.validateResponses && endpoint !== undefined) {
      const issues = validator.validateResponse(endpoint.operationId, status, body)
      if (issues.length > 0) {
        return Effect.dieMessage(
          `The emulator's ${status} response to ${endpoint.name} does not match Clerk's spec: ${
            JSON.stringify(issues.slice(0, 5))
          }`
        )
      }
    }
    return Effect.succeed(jsonResponse(status, body, headers))
  }

  /** A failure in Clerk's envelope (one envelope, checked and sent). */
  const answerFailure = (endpoint: Endpoint.Any | undefined, f: ApiFailure) =>
    answer(endpoint, f.status, errorBody(f.errors), { ...f.headers })

  const validateRequest = (
    request: RawRequest,
    url: URL,
    read: { readonly search: string; readonly record: Readonly<Record<string, string | ReadonlyArray<string>>> },
    endpoint: Endpoint.Any,
    path: ReadonlyArray<string>,
    json: unknown
  ): ApiFailure | undefined => {
    if (!options.validateRequests) return undefined
    const issues = validator
      .validateRequest({
        operationId: endpoint.operationId,
        method: request.method,
        path: url.pathname,
        pathParams: path,
        query: read.search,
        queryRecord: read.record,
        headers: { ...request.headers },
        body: json
      })
      // openapi-backend cannot read multipart bodies: the handler checks the file itself
      .filter((issue) =>
        !(endpoint.body._tag === "Multipart" &&
          (issue.path.startsWith("/requestBody") || issue.message.includes("requestBody")))
      )
    return issues.length > 0 ? validationFailure(endpoint, issues) : undefined
  }

  // built once per endpoint: core's compiled decoders and encoder (exactly Schema.decodeUnknownEither's and
  // Schema.encodeUnknownEither's results)
  const codecs = new Map<Endpoint.Any, {
    readonly query: ((u: unknown) => Either.Either<unknown, ParseResult.ParseError>) | undefined
    readonly body: ((u: unknown) => Either.Either<unknown, ParseResult.ParseError>) | undefined
    readonly success: (u: unknown) => Either.Either<unknown, ParseResult.ParseError>
  }>()
  const codecOf = (endpoint: Endpoint.Any) => {
    let codec = codecs.get(endpoint)
    if (codec === undefined) {
      codec = {
        query: endpoint.query === undefined ? undefined : Codec.decodeUnknownEither(endpoint.query),
        body: endpoint.body._tag === "Json" ? Codec.decodeUnknownEither(endpoint.body.schema) : undefined,
        success: Codec.encodeUnknownEither(endpoint.success)
      }
      codecs.set(endpoint, codec)
    }
    return codec
  }

  const decodeFailure = (what: string, error: unknown) =>
    new ApiFailure({ status: 422, errors: decodeIssues(what, error) })

  /** A path id that is not valid percent-encoding names nothing: 404 where the operation documents it. */
  const badPath = (endpoint: Endpoint.Any, url: URL) => {
    const documented = endpoint.errors.some((e) => ClerkError.statusOf(e) === 404)
    return failure(
      documented ? 404 : 400,
      documented ? "resource_not_found" : "form_param_format_invalid",
      documented ? "not found" : "invalid path",
      `The path ${url.pathname.slice(0, 300)} has an id that is not valid percent-encoded UTF-8.`
    )
  }

  /** The handler's input, or why the request is refused: spec validation, then decoding with the endpoint's schemas. */
  const inputOf = (
    request: RawRequest,
    url: URL,
    read: { readonly search: string; readonly record: Readonly<Record<string, string | ReadonlyArray<string>>> },
    endpoint: Endpoint.Any,
    path: ReadonlyArray<string>,
    body: Body,
    now: number
  ): ApiFailure | HandlerInput<unknown, unknown> => {
    const invalid = validateRequest(request, url, read, endpoint, path, body.json)
    if (invalid !== undefined) return invalid
    const codec = codecOf(endpoint)
    let query: unknown = undefined
    if (codec.query !== undefined) {
      const decoded = codec.query(read.record)
      if (Either.isLeft(decoded)) return decodeFailure("query", decoded.left)
      query = decoded.right
    }
    let json: unknown = undefined
    if (codec.body !== undefined) {
      const decoded = codec.body(body.json ?? {})
      if (Either.isLeft(decoded)) return decodeFailure("body", decoded.left)
      json = decoded.right
    }
    return { path, query, body: json, formData: body.formData, now }
  }

  /** Path ids, query, body, validation, decoding, the handler and the encoded (and checked) 200. */
  const process = (
    request: RawRequest,
    url: URL,
    route: Route,
    pathParams: ReadonlyArray<string>,
    now: number
  ): Effect.Effect<RawResponse, ApiFailure> => {
    const endpoint = route.endpoint
    const path = decodePathParams(pathParams)
    if (path === undefined) return Effect.fail(badPath(endpoint, url))
    const read = readQuery(url.searchParams, queryKinds.get(endpoint.operationId) ?? noKinds)
    if (read._tag === "Invalid") {
      return Effect.fail(validationFailure(endpoint, [{
        path: `/query/${read.name}`,
        message: read.message,
        keyword: "type",
        params: {}
      }]))
    }
    return readBody(request, endpoint, options.maxBodyBytes, (body) => {
      const input = inputOf(request, url, read, endpoint, path, body, now)
      if (input instanceof ApiFailure) return Effect.fail(input)
      return Effect.flatMap(route.handle(input), (result) => {
        const encoded = codecOf(endpoint).success(result)
        return Either.isLeft(encoded) ? Effect.die(encoded.left) : answer(endpoint, 200, encoded.right)
      })
    })
  }

  return { answer, answerFailure, process }
}

/**
 * The web handler: faults → auth → rate limit → route → body → spec validation → decode → handler → encode →
 * response validation → malformed-body fault. Every failure is answered in Clerk's envelope (and validated too).
 *
 * @internal
 */
export const makePipeline = <Dropped>(options: PipelineOptions<Dropped>) => {
  const { faults, rateLimiter } = options
  const match = makeMatcher(options.routes)
  const { answer, answerFailure, process } = makeProcessor(options)

  const authorize = (request: RawRequest, at: number): ApiFailure | undefined => {
    const key = /^Bearer (.+)$/.exec(request.headers["authorization"] ?? "")?.[1]
    if (key === undefined) {
      return failure(
        401,
        "authorization_header_format_invalid",
        "Invalid Authorization header format",
        "Authorization header should be in the following format: 'Bearer <YOUR_API_KEY>'."
      )
    }
    if (!options.secretKeys.has(key)) {
      return failure(
        401,
        "authentication_invalid",
        "Invalid authentication",
        "Unable to authenticate the request, you need to supply an active API key"
      )
    }
    const retryAfter = rateLimiter.take(key, at)
    return retryAfter === undefined ? undefined : failure(
      429,
      "too_many_requests",
      "Too Many Requests",
      "Too many requests, please try again later.",
      { "retry-after": String(retryAfter) }
    )
  }

  const unrouted = (request: RawRequest, url: URL, path: string | undefined) => {
    const allowed = path === undefined ? [] : match.methodsAt(path)
    return allowed.length > 0
      ? failure(
        405,
        "method_not_allowed",
        "method not allowed",
        `${request.method} is not allowed on ${url.pathname.slice(0, 300)}; use ${allowed.join(", ")}.`,
        { allow: allowed.join(", ") }
      )
      : failure(404, "resource_not_found", "not found", `No route for ${request.method} ${url.pathname.slice(0, 300)}.`)
  }

  /** Auth, rate limit, route and process; every failure becomes Clerk's envelope. */
  const respond = (
    request: RawRequest,
    url: URL,
    path: string | undefined,
    at: number,
    now: number,
    matched: ReturnType<typeof match>
  ): Effect.Effect<RawResponse> => {
    // the key and the rate limit first (a token is taken even for a path that names nothing)
    const refused = authorize(request, at)
    if (matched === undefined) return answerFailure(undefined, refused ?? unrouted(request, url, path))
    if (refused !== undefined) return answerFailure(matched.route.endpoint, refused)
    return Effect.catchAll(
      process(request, url, matched.route, matched.params, now),
      (f) => answerFailure(matched.route.endpoint, f)
    )
  }

  /** The answer of a `Status` fault: Clerk's envelope (checked against the spec) unless a raw body is given. */
  const faultStatus = (
    endpoint: Endpoint.Any | undefined,
    status: number,
    body?: string,
    retryAfter?: number
  ): Effect.Effect<RawResponse> => {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }
    if (body !== undefined) {
      return Effect.succeed({ status, headers: { "content-type": "text/html", ...headers }, body })
    }
    const envelope = errorBody([{
      code: "emulated_fault",
      message: `injected ${status}`,
      longMessage: `The emulator injected a ${status} for this request.`
    }])
    return answer(endpoint, status, envelope, headers)
  }

  /** Records the request in the log (with the status answered, or a dropped connection). */
  const record = (
    request: RawRequest,
    url: URL,
    endpoint: Endpoint.Any | undefined,
    at: number,
    status: number | "dropped"
  ) => options.record({ operation: endpoint?.name, method: request.method, path: url.pathname, status, at })

  /** After the answer: a connection dropped once processed, or the answer recorded (and broken by a fault). */
  const finish = (
    decision: FaultDecision & { readonly _tag: "Proceed" },
    request: RawRequest,
    url: URL,
    endpoint: Endpoint.Any | undefined,
    at: number,
    response: RawResponse
  ): Effect.Effect<RawResponse, Dropped> => {
    if (decision.dropAfter) {
      record(request, url, endpoint, at, "dropped")
      return Effect.fail(options.dropped("reset", true))
    }
    record(request, url, endpoint, at, response.status)
    if (decision.malformed !== undefined && response.status === 200) {
      return Effect.succeed({
        status: 200,
        headers: { "content-type": "application/json" },
        body: malformedBody(decision.malformed, response.body)
      })
    }
    return Effect.succeed(response)
  }

  return (request: RawRequest): Effect.Effect<RawResponse, Dropped> =>
    Effect.flatMap(options.now, (at) => {
      const url = typeof request.url === "string" ? new URL(request.url) : request.url
      const path = url.pathname.startsWith("/v1/") ? url.pathname.slice(3) : undefined
      const matched = path === undefined ? undefined : match(request.method, path)
      const endpoint = matched?.route.endpoint
      // faults first: they stand for the network and the infrastructure in front of Clerk. A request its caller
      // interrupts while a fault holds it (a timeout under TestClock, a cancelled fiber) is not processed: logged as
      // a dropped connection, as one whose abort signal ended the wait
      const decided = faults.decide(endpoint, request.signal)
      return Effect.flatMap(
        decided === noFaults ?
          decided :
          Effect.onInterrupt(decided, () => Effect.sync(() => record(request, url, endpoint, at, "dropped"))),
        (decision): Effect.Effect<RawResponse, Dropped> => {
          if (decision._tag === "Stop") {
            const action = decision.action
            if (action._tag === "Status") {
              record(request, url, endpoint, at, action.status)
              return faultStatus(endpoint, action.status, action.body, action.retryAfter)
            }
            record(request, url, endpoint, at, "dropped")
            return Effect.fail(options.dropped(action._tag === "Refuse" ? "refused" : "reset", false))
          }
          // with no fault injected nothing waited, so the handler's time is the request's; else it is read again
          const responded = decision === unfaulted
            ? respond(request, url, path, at, at, matched)
            : Effect.flatMap(options.now, (now) => respond(request, url, path, at, now, matched))
          return Effect.flatMap(responded, (response) => finish(decision, request, url, endpoint, at, response))
        }
      )
    })
}

/**
 * The pipeline as a web handler (`Request → Response`), for the HTTP server and `ClerkEmulator.handle`.
 *
 * @internal
 */
export const webHandler =
  <Dropped>(raw: (request: RawRequest) => Effect.Effect<RawResponse, Dropped>) =>
  (request: Request): Effect.Effect<Response, Dropped> =>
    Effect.suspend(() => {
      // a null-prototype record: a header named `__proto__` is an entry like any other (on `{}` it would hit the
      // prototype setter and be lost), and an absent `constructor` header reads as absent
      const headers: Record<string, string> = Object.create(null)
      request.headers.forEach((value, key) => (headers[key] = value))
      return Effect.map(
        raw({
          method: request.method,
          url: request.url,
          headers,
          text: Effect.promise(() => request.text()),
          formData: Effect.tryPromise(() => request.formData()),
          signal: request.signal
        }),
        (response) => webResponse(response)
      )
    })

const nullBodyStatuses = new Set([101, 103, 204, 205, 304])
const encoder = new TextEncoder()
// `String.prototype.isWellFormed` (ES2024; in every Node the project supports) without widening the lib to ES2024
const stringProto: { readonly toString: () => string; readonly isWellFormed?: (this: string) => boolean } =
  String.prototype

/**
 * A `Response` whose body bytes are the UTF-8 of a string the emulator already holds, encoded only when they are
 * read (`body`, `arrayBuffer()`, `clone()`, ...), while `text()` and `json()` answer from the string itself.
 *
 * `new Response(string)` encodes the string at once (and measures it), and `text()` then copies the bytes and
 * decodes them back: for a 150 KB list page that round trip costs more than producing the page. The bytes and the
 * text are the same as a plain `Response`'s for the strings `webResponse` gives it (see there).
 */
class StringBodyResponse extends Response {
  readonly #text: string
  constructor(text: string, init: ResponseInit) {
    super(
      new ReadableStream({
        type: "bytes",
        pull(controller) {
          if (text.length > 0) controller.enqueue(encoder.encode(text))
          controller.close()
        }
      }),
      init
    )
    this.#text = text
  }
  override text(): Promise<string> {
    const body = this.body
    if (body === null || this.bodyUsed || body.locked) return super.text()
    // disturbs the stream as reading it would (`bodyUsed` is now true), without encoding the bytes
    void body.cancel()
    return Promise.resolve(this.#text)
  }
  override json(): Promise<unknown> {
    return this.text().then((text): unknown => JSON.parse(text))
  }
}

/**
 * The web `Response` of a raw answer: the same status, headers and body bytes (and `text()`) as
 * `new Response(body, init)`.
 *
 * `JSON.stringify` output (`stringified`) gets a `StringBodyResponse`: UTF-8 round-trips it exactly (it is
 * well-formed) and it never starts with a BOM (which `text()` would strip). Anything else gets a plain `Response`.
 * The first character is not read to check for a BOM: `JSON.stringify` returns a rope for large values and reading
 * any character flattens it (a copy into large-object space, ~0.7 ms for a 150 KB page), which a reader's
 * `JSON.parse` pays anyway but `text()` need not.
 *
 * @internal
 */
export const webResponse = (response: RawResponse): Response => {
  const init = { status: response.status, headers: response.headers }
  const text = response.body
  const fast = response.stringified === true && !nullBodyStatuses.has(response.status) &&
    stringProto.isWellFormed?.call(text) === true
  return fast ? new StringBodyResponse(text, init) : new Response(text, init)
}
