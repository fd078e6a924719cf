/**
 * `ClerkEmulator`: a stateful, in-memory Clerk Backend API for the Users resource. It routes with the same endpoint
 * descriptions the SDK calls (`UsersApi`), validates every request against Clerk's published OpenAPI spec (and, in
 * tests, every response), answers errors in Clerk's envelope, enforces Clerk's rate limits, injects faults on demand,
 * and reads time from Effect's `Clock` (so `TestClock` drives TOTP windows, lock expiry and rate windows).
 *
 * @since 0.1.0
 */
import { ClerkError, type Endpoint } from "@effect-clerk/core"
import { type Models, UsersApi } from "@effect-clerk/users"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Schema from "effect/Schema"
import type * as Self from "./ClerkEmulator.js"
import { hashBackupCode, hashPassword, isValidTotpSecret, makeId, totpCode, traceId } from "./internal/crypto.js"
import { ApiFailure, type ErrorEntry } from "./internal/failure.js"
import { type HandlerInput, makeRoutes, type Route } from "./internal/handlers.js"
import { sanitizeMetadata } from "./internal/metadata.js"
import { presentUser } from "./internal/present.js"
import {
  defaultFeatures,
  emptyState,
  type InstanceFeatures,
  newStoredUser,
  type SnapshotState,
  type State,
  type StoredUser
} from "./internal/state.js"
import { arrayQueryKeys, loadSpec, sharedValidator, type SpecValidator } from "./internal/validation.js"

/**
 * The secret key the emulator accepts by default (a development-instance key: 100 requests / 10 s).
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * console.log(ClerkEmulator.defaultSecretKey)
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultSecretKey = "sk_test_emulator_0000000000000000000000"

/**
 * The connection was dropped (a fault): in-process it becomes a transport error, over HTTP the socket is destroyed.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const error = new ClerkEmulator.ConnectionDropped({ kind: "reset", afterProcessing: true })
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ConnectionDropped extends Data.TaggedError("ConnectionDropped")<{
  /** `refused`: no connection was made (the request was never sent); `reset`: the connection died mid-request. */
  readonly kind: "refused" | "reset"
  readonly afterProcessing: boolean
}> {}

/**
 * A seed the emulator cannot take (e.g. a TOTP secret that is not base32). Nothing of that seed call is kept
 * after the bad user.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const error = new ClerkEmulator.SeedError({ message: "not a base32 TOTP secret" })
 * ```
 * @since 0.1.0
 * @category errors
 */
export class SeedError extends Data.TaggedError("SeedError")<{ readonly message: string }> {}

/**
 * A fault to inject. `operation` is an SDK name (`"Users.create"`) or a spec operationId (`"CreateUser"`); absent,
 * the fault applies to every operation. `probability` (default 1) draws from Effect's `Random`; `times` bounds how
 * many requests it hits.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const fault: ClerkEmulator.Fault = { operation: "Users.get", action: { _tag: "Status", status: 503 }, times: 2 }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Fault {
  readonly operation?: string | undefined
  readonly probability?: number | undefined
  readonly times?: number | undefined
  readonly action: FaultAction
}

/**
 * What a fault does.
 *
 * - `Status`: answer this status before processing (Clerk's envelope unless `body` is given; `retryAfter` in seconds).
 * - `Latency`: wait, then go on.
 * - `Drop`: reset the connection, before processing or after it (the change happened, the answer is lost); the
 *   client cannot tell which.
 * - `Refuse`: refuse the connection: the request is never sent (in-process; over HTTP it is a reset).
 * - `Malformed`: process, then send a broken body with status 200.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const action: ClerkEmulator.FaultAction = { _tag: "Malformed", kind: "html" }
 * ```
 * @since 0.1.0
 * @category models
 */
export type FaultAction =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly body?: string | undefined
    readonly retryAfter?: number | undefined
  }
  | { readonly _tag: "Latency"; readonly delay: Duration.DurationInput }
  | { readonly _tag: "Drop"; readonly afterProcessing?: boolean | undefined }
  | { readonly _tag: "Refuse" }
  | { readonly _tag: "Malformed"; readonly kind: "truncated" | "html" | "empty" | "garbage" | "wrong-shape" }

/**
 * Rate limiting: Clerk's numbers by key (`"clerk"`), explicit numbers, or off.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const rate: ClerkEmulator.RateLimit = { limit: 10, window: "1 second" }
 * ```
 * @since 0.1.0
 * @category models
 */
export type RateLimit = "clerk" | false | { readonly limit: number; readonly window: Duration.DurationInput }

/**
 * Options of `make` / `layer`.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const options: ClerkEmulator.Options = { rateLimit: false, validateResponses: true }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Keys the emulator accepts (default: `defaultSecretKey`). */
  readonly secretKeys?: ReadonlyArray<string> | undefined
  /** Default `"clerk"`: 100 / 10 s for `sk_test_` keys, 1000 / 10 s for `sk_live_`, a token bucket per key. */
  readonly rateLimit?: RateLimit | undefined
  /** Validate requests against Clerk's spec (default true). */
  readonly validateRequests?: boolean | undefined
  /** Validate every response against Clerk's spec and die on a mismatch (default true: meant for tests). */
  readonly validateResponses?: boolean | undefined
  /** Largest request body accepted, in bytes (default 1 MiB JSON, 10 MiB multipart). */
  readonly maxBodyBytes?: number | undefined
  readonly features?: Partial<InstanceFeatures> | undefined
}

/**
 * A user to seed: the create parameters plus what only Clerk's other flows can make (passkeys, OAuth accounts
 * with tokens, trusted devices, sign-in times, billing).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const ada: ClerkEmulator.SeedUser = {
 *   emailAddress: ["ada@example.com"], password: "correct horse battery", totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP",
 *   externalAccounts: [{ provider: "oauth_google", providerUserId: "g-1", tokens: [{ token: "ya29.x" }] }]
 * }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface SeedUser {
  readonly id?: string | undefined
  readonly emailAddress?: ReadonlyArray<string> | undefined
  readonly phoneNumber?: ReadonlyArray<string> | undefined
  readonly web3Wallet?: ReadonlyArray<string> | undefined
  readonly username?: string | undefined
  readonly externalId?: string | undefined
  readonly firstName?: string | undefined
  readonly lastName?: string | undefined
  readonly password?: string | undefined
  readonly totpSecret?: string | undefined
  readonly backupCodes?: ReadonlyArray<string> | undefined
  readonly publicMetadata?: { readonly [key: string]: unknown } | undefined
  readonly privateMetadata?: { readonly [key: string]: unknown } | undefined
  readonly unsafeMetadata?: { readonly [key: string]: unknown } | undefined
  readonly banned?: boolean | undefined
  readonly locked?: boolean | undefined
  /** Unix ms; default: now (later seeds sort newer on ties). */
  readonly createdAt?: number | undefined
  readonly lastSignInAt?: number | undefined
  readonly lastActiveAt?: number | undefined
  readonly passkeys?: ReadonlyArray<{ readonly name: string }> | undefined
  readonly externalAccounts?:
    | ReadonlyArray<{
      readonly provider: string
      readonly providerUserId: string
      readonly emailAddress?: string | undefined
      readonly tokens?:
        | ReadonlyArray<{
          readonly token: string
          readonly scopes?: ReadonlyArray<string> | undefined
          readonly expiresAt?: number | undefined
        }>
        | undefined
    }>
    | undefined
  readonly trustedDevices?:
    | ReadonlyArray<
      { readonly platform: "ios" | "android"; readonly appIdentifier: string; readonly name?: string | undefined }
    >
    | undefined
  /** `true` gives an active free subscription. */
  readonly subscription?: boolean | undefined
  /** A starting credit balance (minor units), recorded as one ledger entry. */
  readonly credits?: { readonly amount: number; readonly currency?: string | undefined } | undefined
}

/**
 * An organization to seed, with its memberships and invitations.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const acme: ClerkEmulator.SeedOrganization = { name: "Acme", members: [{ userId: "user_1", role: "org:admin" }] }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface SeedOrganization {
  readonly id?: string | undefined
  readonly name: string
  readonly slug?: string | undefined
  readonly members?: ReadonlyArray<{ readonly userId: string; readonly role?: string | undefined }> | undefined
  readonly invitations?:
    | ReadonlyArray<{
      readonly emailAddress: string
      readonly role?: string | undefined
      readonly status?: "pending" | "accepted" | "revoked" | "expired" | undefined
    }>
    | undefined
}

/**
 * What `seed` takes.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const seed: ClerkEmulator.Seed = { users: [{ emailAddress: ["a@b.co"] }] }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Seed {
  readonly users?: ReadonlyArray<SeedUser> | undefined
  readonly organizations?: ReadonlyArray<SeedOrganization> | undefined
}

/**
 * One request as the emulator saw it (for assertions like "the create was sent once").
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const creates = (log: ReadonlyArray<ClerkEmulator.RecordedRequest>) => log.filter((r) => r.operation === "Users.create")
 * ```
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly operation: string | undefined
  readonly method: string
  readonly path: string
  readonly status: number | "dropped"
  readonly at: number
}

/**
 * A JSON-serializable copy of the whole state.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const roundTrip = Effect.flatMap(ClerkEmulator, (e) => Effect.flatMap(e.snapshot, e.restore))
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly version: 1
  readonly state: SnapshotState
}

/**
 * The emulator's interface.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const users = Effect.flatMap(ClerkEmulator, (e) => e.users)
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkEmulatorService {
  readonly secretKey: string
  /** The web handler: Clerk's API under `/v1`. Fails only with `ConnectionDropped` (a fault). */
  readonly handle: (request: Request) => Effect.Effect<Response, ConnectionDropped>
  readonly seed: (seed: Seed) => Effect.Effect<{
    readonly users: ReadonlyArray<Models.User>
    readonly organizationIds: ReadonlyArray<string>
  }, SeedError>
  /** Every user, newest first, as the API would return them. */
  readonly users: Effect.Effect<ReadonlyArray<Models.User>>
  readonly user: (id: string) => Effect.Effect<Models.User | undefined>
  /** The current TOTP code of a user's secret (what their authenticator app would show). */
  readonly totpCode: (userId: string) => Effect.Effect<string | undefined>
  readonly reset: Effect.Effect<void>
  readonly snapshot: Effect.Effect<Snapshot>
  readonly restore: (snapshot: Snapshot) => Effect.Effect<void>
  readonly injectFault: (fault: Fault) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  readonly setFeatures: (features: Partial<InstanceFeatures>) => Effect.Effect<void>
  readonly setRateLimit: (rateLimit: RateLimit) => Effect.Effect<void>
  /** Moves the emulator's time forward (for the HTTP server, whose clock is real; in tests prefer `TestClock`). */
  readonly advanceTime: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
}

// ---------------------------------------------------------------------------------------------------------------

interface CompiledRoute {
  readonly route: Route
  readonly pattern: RegExp
  readonly literalSegments: number
}

const compile = (route: Route): CompiledRoute => {
  const segments = route.endpoint.path.split("/").filter((s) => s !== "")
  const pattern = new RegExp(
    `^/${segments.map((s) => (s.startsWith("{") ? "([^/]+)" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}/?$`
  )
  return { route, pattern, literalSegments: segments.filter((s) => !s.startsWith("{")).length }
}

const encodeErrors = Schema.encodeSync(ClerkError.ClerkErrorBody)

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

const errorBody = (errors: ReadonlyArray<ErrorEntry>) =>
  encodeErrors({
    errors: errors.map((e) => (e.meta === undefined
      ? { code: e.code, message: e.message, longMessage: e.longMessage }
      : { code: e.code, message: e.message, longMessage: e.longMessage, meta: e.meta })
    ),
    clerkTraceId: traceId()
  })

const validationFailure = (
  endpoint: Endpoint.Any,
  issues: ReadonlyArray<
    {
      readonly path: string
      readonly message: string
      readonly keyword: string
      readonly params: Readonly<Record<string, unknown>>
    }
  >
) => {
  const errors: Array<ErrorEntry> = issues.slice(0, 10).map((issue) => {
    const inBody = issue.path.startsWith("/requestBody")
    const missing = typeof issue.params["missingProperty"] === "string" ? issue.params["missingProperty"] : undefined
    const extra = typeof issue.params["additionalProperty"] === "string"
      ? issue.params["additionalProperty"]
      : undefined
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
    return {
      code: "form_param_format_invalid",
      message: `${param} is invalid`,
      longMessage: `${param} ${issue.message}${inBody ? "" : " (query)"}`,
      meta: { param_name: param }
    }
  })
  // Clerk answers a malformed body with 422 and malformed query/path parameters with 400; where the operation
  // documents only one of the two, that one is used
  const documented = new Set(endpoint.errors.map((e) => ClerkError.statusOf(e)))
  const preferred = issues.some((i) => i.path.startsWith("/requestBody")) ? 422 : 400
  const other = preferred === 422 ? 400 : 422
  const status = documented.has(preferred) || !documented.has(other) ? preferred : other
  return new ApiFailure({ status, errors })
}

const operationMatches = (fault: Fault, endpoint: Endpoint.Any | undefined) =>
  fault.operation === undefined ||
  (endpoint !== undefined && (fault.operation === endpoint.name || fault.operation === endpoint.operationId))

const malformedBody = (kind: "truncated" | "html" | "empty" | "garbage" | "wrong-shape", original: string) => {
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

const defaultSubscription = (user: StoredUser, now: number): Models.CommerceSubscription => ({
  object: "commerce_subscription",
  id: makeId("csub"),
  instanceId: "ins_emulator",
  status: "active",
  payerId: user.id,
  createdAt: now,
  updatedAt: now,
  activeAt: now,
  pastDueAt: null,
  subscriptionItems: [],
  eligibleForFreeTrial: false
})

/**
 * Builds an emulator. Requires nothing: time and randomness come from the default services.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const emulator = ClerkEmulator.make({ rateLimit: false })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<ClerkEmulatorService> =>
  Effect.gen(function*() {
    const validator: SpecValidator = yield* Effect.promise(() =>
      sharedValidator(UsersApi.all.map((e) => e.operationId))
    )
    const arrayKeys = arrayQueryKeysCached()
    const secretKeys = new Set(options.secretKeys ?? [defaultSecretKey])
    const secretKey = [...secretKeys][0] ?? defaultSecretKey
    const validateRequests = options.validateRequests ?? true
    const validateResponses = options.validateResponses ?? true
    const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
    const initialFeatures = { ...defaultFeatures, ...options.features }

    let state: State = { ...emptyState(), features: initialFeatures }
    let rateLimit: RateLimit = options.rateLimit ?? "clerk"
    let faults: Array<{ fault: Fault; remaining: number }> = []
    let timeOffset = 0
    let log: Array<RecordedRequest> = []
    const buckets = new Map<string, { tokens: number; lastRefill: number }>()

    const now = Effect.map(Clock.currentTimeMillis, (t) => t + timeOffset)
    const routes = makeRoutes({ state: () => state })
      .map(compile)
      .sort((a, b) => b.literalSegments - a.literalSegments)

    const match = (method: string, path: string) => {
      for (const compiled of routes) {
        if (compiled.route.endpoint.method !== method) continue
        const m = compiled.pattern.exec(path)
        if (m) return { route: compiled.route, params: m.slice(1) }
      }
      return undefined
    }

    const rateLimitFor = (key: string): { readonly limit: number; readonly windowMs: number } | undefined => {
      if (rateLimit === false) return undefined
      if (rateLimit === "clerk") return { limit: key.startsWith("sk_live_") ? 1000 : 100, windowMs: 10_000 }
      return { limit: rateLimit.limit, windowMs: Duration.toMillis(Duration.decode(rateLimit.window)) }
    }

    /** A token bucket per key, refilled one token every window/limit, as Clerk's documented rate. */
    const takeToken = (key: string, at: number): number | undefined => {
      const config = rateLimitFor(key)
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

    const fail = (failure: ApiFailure) =>
      jsonResponse(failure.status, errorBody(failure.errors), { ...failure.headers })

    const readBody = (request: Request, endpoint: Endpoint.Any) =>
      Effect.gen(function*() {
        const length = Number(request.headers.get("content-length") ?? "0")
        const limit = endpoint.body._tag === "Multipart" ? maxBodyBytes * 10 : maxBodyBytes
        if (length > limit) {
          return yield* new ApiFailure({
            status: 413,
            errors: [{
              code: "request_body_too_large",
              message: "request body too large",
              longMessage: `The request body exceeds ${limit} bytes.`
            }]
          })
        }
        if (endpoint.body._tag === "Multipart") {
          const form = yield* Effect.tryPromise({
            try: () => request.formData(),
            catch: () =>
              new ApiFailure({
                status: 400,
                errors: [{
                  code: "malformed_request_body",
                  message: "malformed multipart body",
                  longMessage: "The multipart body could not be read."
                }]
              })
          })
          return { json: undefined, formData: form }
        }
        const text = yield* Effect.promise(() => request.text())
        if (text.length > limit) {
          return yield* new ApiFailure({
            status: 413,
            errors: [{
              code: "request_body_too_large",
              message: "request body too large",
              longMessage: `The request body exceeds ${limit} bytes.`
            }]
          })
        }
        if (endpoint.body._tag === "None" || text.trim() === "") {
          return { json: endpoint.body._tag === "Json" ? {} : undefined, formData: undefined }
        }
        const parsed = yield* Effect.try({
          try: (): unknown => JSON.parse(text),
          catch: () =>
            new ApiFailure({
              status: 400,
              errors: [{
                code: "malformed_request_body",
                message: "malformed request body",
                longMessage: "The request body is not valid JSON."
              }]
            })
        })
        return { json: parsed, formData: undefined }
      })

    const queryRecord = (params: URLSearchParams, arrays: ReadonlySet<string>) => {
      const out: Record<string, string | Array<string>> = {}
      for (const [key, value] of params) {
        const current = out[key]
        if (current === undefined) out[key] = arrays.has(key) ? [value] : value
        else if (Array.isArray(current)) current.push(value)
        // a scalar given twice: the first wins, as Clerk documents for order_by
      }
      return out
    }

    const checkResponse = (endpoint: Endpoint.Any, status: number, body: unknown) =>
      validateResponses
        ? Effect.suspend(() => {
          const issues = validator.validateResponse(endpoint.operationId, status, body)
          return issues.length === 0
            ? Effect.void
            : Effect.dieMessage(
              `The emulator's ${status} response to ${endpoint.name} does not match Clerk's spec: ${
                JSON.stringify(issues.slice(0, 5))
              }`
            )
        })
        : Effect.void

    const process = (
      request: Request,
      url: URL,
      endpoint: Endpoint.Any,
      route: Route,
      pathParams: ReadonlyArray<string>
    ) =>
      Effect.gen(function*() {
        const body = yield* readBody(request, endpoint)
        const arrays = arrayKeys.get(endpoint.operationId) ?? new Set<string>()
        if (validateRequests) {
          const headers: Record<string, string> = {}
          request.headers.forEach((value, key) => (headers[key] = value))
          const issues = validator
            .validateRequest({
              method: request.method,
              path: url.pathname,
              query: url.search.replace(/^\?/, ""),
              headers,
              body: body.json
            })
            // openapi-backend cannot read multipart bodies: the handler checks the file itself
            .filter((issue) =>
              !(endpoint.body._tag === "Multipart" &&
                (issue.path.startsWith("/requestBody") || issue.message.includes("requestBody")))
            )
          if (issues.length > 0) return yield* validationFailure(endpoint, issues)
        }
        const decodeFailure = (what: string) => (error: unknown) =>
          new ApiFailure({
            status: 422,
            errors: [{
              code: "form_param_format_invalid",
              message: `invalid ${what}`,
              longMessage: String(error).slice(0, 500)
            }]
          })
        const query: unknown = endpoint.query === undefined
          ? undefined
          : yield* Schema.decodeUnknown(endpoint.query)(queryRecord(url.searchParams, arrays)).pipe(
            Effect.mapError(decodeFailure("query"))
          )
        const json: unknown = endpoint.body._tag === "Json"
          ? yield* Schema.decodeUnknown(endpoint.body.schema)(body.json ?? {}).pipe(
            Effect.mapError(decodeFailure("body"))
          )
          : undefined
        const input: HandlerInput<unknown, unknown> = {
          path: pathParams.map((p) => decodeURIComponent(p)),
          query,
          body: json,
          formData: body.formData,
          now: yield* now
        }
        const result = yield* route.handle(input)
        const encoded = yield* Schema.encodeUnknown(endpoint.success)(result).pipe(Effect.orDie)
        return encoded
      })

    const handle = (request: Request): Effect.Effect<Response, ConnectionDropped> =>
      Effect.gen(function*() {
        const url = new URL(request.url)
        const at = yield* now
        const path = url.pathname.startsWith("/v1/") ? url.pathname.slice(3) : undefined
        const matched = path === undefined ? undefined : match(request.method, path)
        const endpoint = matched?.route.endpoint
        const record = (status: number | "dropped") =>
          log.push({ operation: endpoint?.name, method: request.method, path: url.pathname, status, at })

        // faults first: they stand for the network and the infrastructure in front of Clerk
        let malformed: "truncated" | "html" | "empty" | "garbage" | "wrong-shape" | undefined
        let dropAfter = false
        for (const entry of faults) {
          if (entry.remaining <= 0 || !operationMatches(entry.fault, endpoint)) continue
          const probability = entry.fault.probability ?? 1
          if (probability < 1 && (yield* Random.next) >= probability) continue
          entry.remaining--
          const action = entry.fault.action
          switch (action._tag) {
            case "Latency":
              yield* Effect.sleep(action.delay)
              break
            case "Drop":
              if (action.afterProcessing === true) {
                dropAfter = true
                break
              }
              record("dropped")
              return yield* new ConnectionDropped({ kind: "reset", afterProcessing: false })
            case "Refuse":
              record("dropped")
              return yield* new ConnectionDropped({ kind: "refused", afterProcessing: false })
            case "Malformed":
              malformed = action.kind
              break
            case "Status": {
              record(action.status)
              const headers: Record<string, string> = action.retryAfter === undefined
                ? {}
                : { "retry-after": String(action.retryAfter) }
              if (action.body !== undefined) {
                return new Response(action.body, {
                  status: action.status,
                  headers: { "content-type": "text/html", ...headers }
                })
              }
              const body = errorBody([{
                code: "emulated_fault",
                message: `injected ${action.status}`,
                longMessage: `The emulator injected a ${action.status} for this request.`
              }])
              // injected errors are in Clerk's envelope too, and checked against the spec like any answer
              if (endpoint !== undefined) yield* checkResponse(endpoint, action.status, body)
              return jsonResponse(action.status, body, headers)
            }
          }
        }
        faults = faults.filter((entry) => entry.remaining > 0)

        const response = yield* Effect.gen(function*() {
          const authorization = request.headers.get("authorization") ?? ""
          const key = /^Bearer (.+)$/.exec(authorization)?.[1]
          if (key === undefined || !secretKeys.has(key)) {
            return yield* new ApiFailure({
              status: 401,
              errors: [{
                code: key === undefined ? "authorization_header_format_invalid" : "authentication_invalid",
                message: key === undefined ? "Invalid Authorization header format" : "Invalid authentication",
                longMessage: key === undefined
                  ? "Authorization header should be in the following format: 'Bearer <YOUR_API_KEY>'."
                  : "Unable to authenticate the request, you need to supply an active API key"
              }]
            })
          }
          const retryAfter = takeToken(key, at)
          if (retryAfter !== undefined) {
            return yield* new ApiFailure({
              status: 429,
              headers: { "retry-after": String(retryAfter) },
              errors: [{
                code: "too_many_requests",
                message: "Too Many Requests",
                longMessage: "Too many requests, please try again later."
              }]
            })
          }
          if (matched === undefined || endpoint === undefined) {
            return yield* new ApiFailure({
              status: 404,
              errors: [{
                code: "resource_not_found",
                message: "not found",
                longMessage: `No route for ${request.method} ${url.pathname}.`
              }]
            })
          }
          const encoded = yield* process(request, url, endpoint, matched.route, matched.params)
          yield* checkResponse(endpoint, 200, encoded)
          return jsonResponse(200, encoded)
        }).pipe(
          Effect.catchTag(
            "ApiFailure",
            (failure) =>
              Effect.as(
                endpoint === undefined
                  ? Effect.void
                  : checkResponse(endpoint, failure.status, errorBody(failure.errors)),
                fail(failure)
              )
          )
        )
        if (dropAfter) {
          record("dropped")
          return yield* new ConnectionDropped({ kind: "reset", afterProcessing: true })
        }
        record(response.status)
        if (malformed !== undefined && response.status === 200) {
          const original = yield* Effect.promise(() => response.text())
          return new Response(malformedBody(malformed, original), {
            status: 200,
            headers: { "content-type": "application/json" }
          })
        }
        return response
      })

    const seedUser = (seed: SeedUser, at: number): Effect.Effect<StoredUser, SeedError> => {
      if (seed.totpSecret !== undefined && !isValidTotpSecret(seed.totpSecret)) {
        return Effect.fail(new SeedError({ message: `${seed.totpSecret} is not a base32 TOTP secret` }))
      }
      const createdAt = seed.createdAt ?? at
      const identifiers = (values: ReadonlyArray<string> | undefined) =>
        (values ?? []).map((value) => ({ id: makeId("idn"), value, reserved: false, createdAt, updatedAt: createdAt }))
      const emails = identifiers(seed.emailAddress)
      const user = newStoredUser({
        id: seed.id ?? makeId("user"),
        seq: ++state.seq,
        createdAt,
        updatedAt: createdAt,
        externalId: seed.externalId ?? null,
        username: seed.username ?? null,
        firstName: seed.firstName ?? null,
        lastName: seed.lastName ?? null,
        emails,
        phones: identifiers(seed.phoneNumber),
        web3Wallets: identifiers(seed.web3Wallet),
        passkeys: (seed.passkeys ?? []).map((p) => ({ id: makeId("idn"), name: p.name, lastUsedAt: createdAt })),
        externalAccounts: (seed.externalAccounts ?? []).map((a) => ({
          id: makeId("eac"),
          identificationId: makeId("idn"),
          provider: a.provider,
          providerUserId: a.providerUserId,
          emailAddress: a.emailAddress ?? emails[0]?.value ?? "",
          firstName: seed.firstName ?? "",
          lastName: seed.lastName ?? "",
          username: null,
          approvedScopes: "email profile",
          tokens: (a.tokens ?? []).map((t) => ({
            token: t.token,
            scopes: t.scopes ?? ["email", "profile"],
            expiresAt: t.expiresAt ?? null,
            label: null
          })),
          createdAt
        })),
        password: seed.password === undefined ? null : { digest: hashPassword(seed.password), hasher: "scrypt" },
        passwordLastUpdatedAt: seed.password === undefined ? null : createdAt,
        totpSecret: seed.totpSecret?.toUpperCase() ?? null,
        backupCodes: (seed.backupCodes ?? []).map(hashBackupCode),
        mfaEnabledAt: seed.totpSecret !== undefined || (seed.backupCodes?.length ?? 0) > 0 ? createdAt : null,
        publicMetadata: sanitizeMetadata(seed.publicMetadata ?? {}),
        privateMetadata: sanitizeMetadata(seed.privateMetadata ?? {}),
        unsafeMetadata: sanitizeMetadata(seed.unsafeMetadata ?? {}),
        banned: seed.banned ?? false,
        lockedAt: seed.locked === true ? at : null,
        lastSignInAt: seed.lastSignInAt ?? null,
        lastActiveAt: seed.lastActiveAt ?? null,
        trustedDevices: (seed.trustedDevices ?? []).map((d) => ({
          id: makeId("td"),
          platform: d.platform,
          appIdentifier: d.appIdentifier,
          name: d.name ?? null,
          status: "active",
          createdAt,
          updatedAt: createdAt,
          lastUsedAt: null,
          revokedAt: null
        }))
      })
      if (seed.subscription === true) user.subscription = defaultSubscription(user, createdAt)
      if (seed.credits !== undefined) {
        if (!Number.isInteger(seed.credits.amount) || seed.credits.amount <= 0) {
          return Effect.fail(
            new SeedError({ message: `credits must be a positive integer, got ${seed.credits.amount}` })
          )
        }
        const currency = seed.credits.currency ?? "USD"
        user.credits = {
          balance: seed.credits.amount,
          currency,
          ledger: [{
            id: makeId("ccl"),
            amount: seed.credits.amount,
            action: "increase",
            currency,
            note: "seeded",
            idempotencyKey: `seed-${user.id}`,
            createdAt
          }]
        }
      }
      return Effect.succeed(user)
    }

    const service: ClerkEmulatorService = {
      secretKey,
      handle,
      seed: (seed) =>
        Effect.gen(function*() {
          const at = yield* now
          const users: Array<Models.User> = []
          for (const s of seed.users ?? []) {
            const user = yield* seedUser(s, at)
            state.users.set(user.id, user)
            users.push(presentUser(state, user, at))
          }
          const organizationIds: Array<string> = []
          for (const o of seed.organizations ?? []) {
            const id = o.id ?? makeId("org")
            organizationIds.push(id)
            state.organizations.set(id, {
              id,
              seq: ++state.seq,
              name: o.name,
              slug: o.slug ?? o.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
              createdAt: at,
              maxAllowedMemberships: 100,
              publicMetadata: {},
              privateMetadata: {}
            })
            for (const m of o.members ?? []) {
              state.memberships.push({
                id: makeId("orgmem"),
                seq: ++state.seq,
                organizationId: id,
                userId: m.userId,
                role: m.role ?? "org:member",
                createdAt: at,
                updatedAt: at
              })
            }
            for (const i of o.invitations ?? []) {
              state.invitations.push({
                id: makeId("orginv"),
                seq: ++state.seq,
                organizationId: id,
                emailAddress: i.emailAddress,
                role: i.role ?? "org:member",
                status: i.status ?? "pending",
                inviterUserId: o.members?.[0]?.userId ?? null,
                createdAt: at,
                expiresAt: at + 30 * 24 * 3600 * 1000
              })
            }
          }
          return { users, organizationIds }
        }),
      users: Effect.map(now, (at) =>
        [...state.users.values()]
          .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
          .map((u) => presentUser(state, u, at))),
      user: (id) =>
        Effect.map(now, (at) => {
          const u = state.users.get(id)
          return u === undefined ? undefined : presentUser(state, u, at)
        }),
      totpCode: (userId) =>
        Effect.map(now, (at) => {
          const secret = state.users.get(userId)?.totpSecret
          return secret === null || secret === undefined ? undefined : totpCode(secret, at)
        }),
      reset: Effect.sync(() => {
        state = { ...emptyState(), features: initialFeatures }
        faults = []
        log = []
        buckets.clear()
      }),
      snapshot: Effect.sync(() => ({ version: 1 as const, state: toJson(state) })),
      restore: (snapshot) =>
        Effect.sync(() => {
          state = fromJson(snapshot.state)
        }),
      injectFault: (fault) =>
        Effect.sync(() => {
          faults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY })
        }),
      clearFaults: Effect.sync(() => {
        faults = []
      }),
      setFeatures: (features) =>
        Effect.sync(() => {
          state.features = { ...state.features, ...features }
        }),
      setRateLimit: (next) =>
        Effect.sync(() => {
          rateLimit = next
          buckets.clear()
        }),
      advanceTime: (duration) =>
        Effect.sync(() => {
          timeOffset += Duration.toMillis(Duration.decode(duration))
        }),
      requests: Effect.sync(() => [...log])
    }
    return service
  })

let arrayKeysCache: ReadonlyMap<string, ReadonlySet<string>> | undefined
const arrayQueryKeysCached = () => (arrayKeysCache ??= arrayQueryKeys(loadSpec()))

const toJson = (state: State): SnapshotState => ({
  seq: state.seq,
  users: [...state.users.values()],
  organizations: [...state.organizations.values()],
  memberships: state.memberships,
  invitations: state.invitations,
  features: state.features
})

const fromJson = (snapshot: SnapshotState): State => {
  // a deep copy, so the snapshot and the live state stay independent
  const value = structuredClone(snapshot)
  return {
    seq: value.seq,
    users: new Map(value.users.map((u) => [u.id, u])),
    organizations: new Map(value.organizations.map((o) => [o.id, o])),
    memberships: [...value.memberships],
    invitations: [...value.invitations],
    features: value.features
  }
}

/**
 * The emulator as a layer (a fresh one per build).
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const EmulatorLive = ClerkEmulator.layer({ rateLimit: false })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<ClerkEmulator> => Layer.effect(ClerkEmulator, make(options))

/**
 * The emulator service: a `Context.Tag` (so `yield* ClerkEmulator` works in tests) that also carries its
 * constructors (`ClerkEmulator.make`, `ClerkEmulator.layer`), `defaultSecretKey` and its error classes.
 *
 * @example
 * ```ts
 * import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 *
 * const seeded = Effect.gen(function*() {
 *   const emulator = yield* ClerkEmulator
 *   return yield* emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
 * }).pipe(Effect.provide(ClerkTest.layer))
 * ```
 * @since 0.1.0
 * @category tags
 */
export class ClerkEmulator extends Context.Tag("@effect-clerk/testing/ClerkEmulator")<
  ClerkEmulator,
  ClerkEmulatorService
>() {
  /** @see {@link make} */
  static readonly make = make
  /** @see {@link layer} */
  static readonly layer = layer
  /** @see {@link defaultSecretKey} */
  static readonly defaultSecretKey = defaultSecretKey
  /** @see {@link ConnectionDropped} */
  static readonly ConnectionDropped = ConnectionDropped
  /** @see {@link SeedError} */
  static readonly SeedError = SeedError
}

/**
 * The types that go with the emulator, under its name (`ClerkEmulator.Seed`, `ClerkEmulator.Fault`, ...).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const fault: ClerkEmulator.Fault = { operation: "Users.get", action: { _tag: "Status", status: 503 } }
 * ```
 * @since 0.1.0
 * @category models
 */
export declare namespace ClerkEmulator {
  /** @since 0.1.0 */
  export type Service = Self.ClerkEmulatorService
  /** @since 0.1.0 */
  export type Options = Self.Options
  /** @since 0.1.0 */
  export type Seed = Self.Seed
  /** @since 0.1.0 */
  export type SeedUser = Self.SeedUser
  /** @since 0.1.0 */
  export type SeedOrganization = Self.SeedOrganization
  /** @since 0.1.0 */
  export type Fault = Self.Fault
  /** @since 0.1.0 */
  export type FaultAction = Self.FaultAction
  /** @since 0.1.0 */
  export type RateLimit = Self.RateLimit
  /** @since 0.1.0 */
  export type RecordedRequest = Self.RecordedRequest
  /** @since 0.1.0 */
  export type Snapshot = Self.Snapshot
  /** @since 0.1.0 */
  export type ConnectionDropped = Self.ConnectionDropped
  /** @since 0.1.0 */
  export type SeedError = Self.SeedError
}
