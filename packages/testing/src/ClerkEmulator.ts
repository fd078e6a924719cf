/**
 * `ClerkEmulator`: a stateful, in-memory Clerk Backend API for the Users resource. It routes with the same endpoint
 * descriptions the SDK calls (`UsersApi`), validates every request against Clerk's published OpenAPI spec (and, in
 * tests, every response), answers errors in Clerk's envelope, enforces Clerk's rate limits, injects faults on demand,
 * and reads time from Effect's `Clock` (so `TestClock` drives TOTP windows, lock expiry and rate windows).
 *
 * @since 0.1.0
 */
import { type Models, UsersApi } from "@effect-clerk/users"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Self from "./ClerkEmulator.js"
import { makeId, totpCode } from "./internal/crypto.js"
import type * as Events from "./internal/events.js"
import { makeFaults } from "./internal/faults.js"
import { describeIssues, FaultInput } from "./internal/faultSchema.js"
import { makeRoutes } from "./internal/handlers/index.js"
import { presentUser } from "./internal/present.js"
import { makeRateLimiter } from "./internal/rateLimit.js"
import { registerRawHandler } from "./internal/raw.js"
import { ring } from "./internal/ring.js"
import { makePipeline, type RawRequest, webHandler } from "./internal/router.js"
import { applySeed } from "./internal/seed.js"
import { Features, SnapshotSchema } from "./internal/snapshot.js"
import { defaultFeatures, type InstanceFeatures, type SnapshotState } from "./internal/state.js"
import { makeStore } from "./internal/store.js"
import { sharedValidator, type SpecValidator } from "./internal/validation.js"
import * as Webhooks from "./internal/webhooks.js"

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
 * A snapshot `restore` cannot take: outside the snapshot's schema (what `GET /__emulator/snapshot` gives), e.g. a
 * TOTP secret that is not base32, an identifier two users hold, a membership of an unknown user or organization.
 * The message names each field (`state.users[0].totpSecret: ...`). The state is unchanged.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const error = new ClerkEmulator.InvalidSnapshot({ message: "state.users[0].totpSecret: not a base32 TOTP secret" })
 * ```
 * @since 0.2.0
 * @category errors
 */
export class InvalidSnapshot extends Data.TaggedError("InvalidSnapshot")<{ readonly message: string }> {}

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
  /**
   * Largest JSON request body accepted, in bytes (default 1 MiB); a multipart body may be ten times this (default
   * 10 MiB). Past it: 413 `request_body_too_large`. `EmulatorServer`'s own `maxBodyBytes` (default 10 MiB) caps what
   * the server reads before this applies.
   */
  readonly maxBodyBytes?: number | undefined
  readonly features?: Partial<InstanceFeatures> | undefined
  /**
   * How many requests the request log (`requests`) keeps, newest kept (default 1000): a ring, so a long-running
   * server's memory stays bounded.
   *
   * @since 0.2.0
   */
  readonly requestLogSize?: number | undefined
  /**
   * The time webhook deliveries are signed with (`svix-timestamp`), which the receiver checks within 5 minutes of
   * its own time. Retries are scheduled on the emulator's time (its `Clock` plus `advanceTime`) either way.
   * - `"clock"` (default): the emulator's Effect `Clock`, without the `advanceTime` offset: the clock an in-process
   *   receiver in the same test reads, so `Webhooks.verify` / `Webhooks.httpApp` accept deliveries under `TestClock`.
   * - `"wall"`: the wall clock (`Date.now()`), whatever `Clock` or `advanceTime` say: for receivers that read the
   *   wall time, such as `@clerk/backend`'s `verifyWebhook` or any real server. `EmulatorServer` (and the CLI)
   *   default to it.
   *
   * @since 0.2.0
   */
  readonly webhookTimestamps?: "clock" | "wall" | undefined
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
      /** A provider the API gives: `oauth_<name>`, `oauth_custom_<name>` or `oauth_token_<name>` (`<name>`: a-z). */
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
  /** A starting credit balance (minor units, a positive safe integer), recorded as one ledger entry. */
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
 * What `seed` takes besides the seed.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const options: ClerkEmulator.SeedOptions = { emit: true }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface SeedOptions {
  /** Record a `UserCreated` event per seeded user (default false: seeding is setup, not activity). */
  readonly emit?: boolean | undefined
}

/**
 * A change to a user, as the emulator records it (and as webhooks will deliver it): `UserCreated` and
 * `UserUpdated` carry the user as `GET /users/{id}` returned it right after the change; `UserDeleted` the id.
 * `seq` increases strictly; `at` is the emulator's time (ms).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const describe = (event: ClerkEmulator.DomainEvent) =>
 *   event._tag === "UserDeleted" ? `deleted ${event.id}` : `${event._tag} ${event.user.id}`
 * ```
 * @since 0.2.0
 * @category models
 */
export type DomainEvent = Events.DomainEvent

/**
 * The webhook events the emulator sends (Clerk's names).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const events: ReadonlyArray<ClerkEmulator.WebhookEventType> = ["user.created", "user.deleted"]
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookEventType = Webhooks.WebhookEventType

/**
 * An in-process webhook endpoint, reached without a socket: an `HttpApp` of `@effect/platform` (e.g. the SDK's
 * webhook endpoint, or an `HttpRouter`), or a web handler returning a `Response`, a promise of one, or an `Effect`.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const handler: ClerkEmulator.WebhookHandler = async (request) => {
 *   console.log(request.headers.get("svix-id"), await request.text())
 *   return new Response(null, { status: 204 })
 * }
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookHandler<R = never> =
  | HttpApp.Default<unknown, R | Scope.Scope>
  | ((request: Request) => Response | Promise<Response> | Effect.Effect<Response, unknown, R>)

/**
 * A webhook endpoint to add: a `url` (a real HTTP POST) or an in-process `handler`; `events` filters (absent or
 * empty: all, as Svix's `filterTypes`; a type the emulator does not send is refused with `InvalidWebhookEndpoint`);
 * `secret` is its signing secret (default: a fresh `whsec_…`; the SDK's rule, `Webhooks.parseSecret`).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const endpoint: ClerkEmulator.WebhookEndpointOptions = {
 *   url: "http://127.0.0.1:3000/api/webhooks/clerk",
 *   events: ["user.created"]
 * }
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookEndpointOptions<R = never> =
  & {
    readonly events?: ReadonlyArray<WebhookEventType> | undefined
    readonly secret?: Redacted.Redacted<string> | string | undefined
  }
  & ({ readonly url: string } | { readonly handler: WebhookHandler<R> })

/**
 * A webhook endpoint as the emulator holds it (`url` is `undefined` for an in-process handler).
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const describe = (e: ClerkEmulator.WebhookEndpoint) => `${e.id} ${e.url ?? "(in-process)"} ${e.events.join(",")}`
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookEndpoint = Webhooks.EndpointInfo

/**
 * One message's delivery to one endpoint: every attempt (time, status or error, a response excerpt of at most
 * 500 characters), its status, and when the next attempt is due.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const failed = (log: ReadonlyArray<ClerkEmulator.WebhookDelivery>) => log.filter((d) => d.status === "failed")
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookDelivery = Webhooks.Delivery

/**
 * One attempt of a webhook delivery.
 *
 * @example
 * ```ts
 * import type { ClerkEmulator } from "@effect-clerk/testing"
 * const ok = (a: ClerkEmulator.WebhookAttempt) => a.status !== null && a.status >= 200 && a.status < 300
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookAttempt = Webhooks.Attempt

/**
 * A webhook endpoint the emulator cannot take: a URL that is not http(s), an unknown event type, or a secret the
 * SDK's rule (`Webhooks.parseSecret`) refuses.
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const error = new ClerkEmulator.InvalidWebhookEndpoint({ message: "a webhook URL is http or https" })
 * ```
 * @since 0.2.0
 * @category errors
 */
export class InvalidWebhookEndpoint extends Data.TaggedError("InvalidWebhookEndpoint")<{ readonly message: string }> {}

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
  /**
   * The web handler: Clerk's API under `/v1`. Fails only with `ConnectionDropped` (a fault). Its `user-agent` and
   * `x-forwarded-for` headers become the `event_attributes.http_request` of the webhooks its changes send.
   */
  readonly handle: (request: Request) => Effect.Effect<Response, ConnectionDropped>
  /** Seeds users and organizations; records no events unless `{ emit: true }` (then one `UserCreated` per user). */
  readonly seed: (seed: Seed, options?: SeedOptions) => Effect.Effect<{
    readonly users: ReadonlyArray<Models.User>
    readonly organizationIds: ReadonlyArray<string>
  }, SeedError>
  /** Every user, newest first, as the API would return them. */
  readonly users: Effect.Effect<ReadonlyArray<Models.User>>
  readonly user: (id: string) => Effect.Effect<Models.User | undefined>
  /** The current TOTP code of a user's secret (what their authenticator app would show). */
  readonly totpCode: (userId: string) => Effect.Effect<string | undefined>
  /**
   * The most recent domain events (up to 1000, oldest first): one per change to a user, in the order they happened.
   * `reset` clears them.
   */
  readonly events: Effect.Effect<ReadonlyArray<DomainEvent>>
  /**
   * Back to the start: state, faults, request log, events, rate-limit buckets, the `advanceTime` offset, and
   * pending webhook deliveries and their log. Webhook endpoints stay.
   */
  readonly reset: Effect.Effect<void>
  readonly snapshot: Effect.Effect<Snapshot>
  /**
   * Replaces the state with a snapshot's. A snapshot the emulator could not serve (outside the snapshot's schema,
   * as `POST /__emulator/restore` refuses it: a TOTP secret that is not base32, an identifier two users hold, a
   * membership of an unknown user or organization) fails with `InvalidSnapshot`, before anything changes. Every
   * snapshot `snapshot` gives is taken back.
   */
  readonly restore: (snapshot: Snapshot) => Effect.Effect<void, InvalidSnapshot>
  /**
   * Adds a fault. One outside the fault schema (as `POST /__emulator/faults` refuses it: a status that is no error,
   * a latency that is no finite duration, an unknown action or operation) is a defect when injected.
   */
  readonly injectFault: (fault: Fault) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /**
   * Turns features on or off (a key left out or `undefined` keeps its value). Values a snapshot could not hold (a
   * `lockoutSeconds` that is not a whole number of seconds from 1 to 10 years or null, an unknown key) are a defect,
   * as for `injectFault`; so every snapshot `snapshot` gives is one `restore` takes back.
   */
  readonly setFeatures: (features: Partial<InstanceFeatures>) => Effect.Effect<void>
  readonly setRateLimit: (rateLimit: RateLimit) => Effect.Effect<void>
  /** Moves the emulator's time forward (for the HTTP server, whose clock is real; in tests prefer `TestClock`). */
  readonly advanceTime: (duration: Duration.DurationInput) => Effect.Effect<void>
  /** The request log: the most recent `requestLogSize` requests (default 1000), oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * Adds a webhook endpoint: from now on every change to a user its filter takes is delivered to it, signed with
   * its secret (returned), on Svix's retry schedule on the emulator's clock.
   */
  readonly addWebhookEndpoint: <R = never>(
    options: WebhookEndpointOptions<R>
  ) => Effect.Effect<
    WebhookEndpoint,
    InvalidWebhookEndpoint,
    Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>
  >
  /** Removes an endpoint and stops its pending deliveries; `false` when there is no such endpoint. */
  readonly removeWebhookEndpoint: (id: string) => Effect.Effect<boolean>
  readonly webhookEndpoints: Effect.Effect<ReadonlyArray<WebhookEndpoint>>
  /** The delivery log, oldest first (the most recent 1000 deliveries). */
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Builds an emulator in the current scope (webhook deliveries run in it: closing it stops them). Time and
 * randomness come from the default services.
 *
 * The parts: the store (`internal/store.ts`, all state and its only writer, recording a `DomainEvent` per change to
 * a user), the handlers by concern (`internal/handlers/`), the request pipeline (`internal/router.ts`), faults and
 * the rate limiter, seeding (`internal/seed.ts`), and webhook delivery (`internal/webhooks.ts`).
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const users = Effect.scoped(Effect.flatMap(ClerkEmulator.make({ rateLimit: false }), (e) => e.users))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<ClerkEmulatorService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const validator: SpecValidator = yield* Effect.promise(() =>
      sharedValidator(UsersApi.all.map((e) => e.operationId))
    )
    const secretKeys = new Set(options.secretKeys ?? [defaultSecretKey])
    const initialFeatures = { ...defaultFeatures, ...checkedFeatures("ClerkEmulator.make: features", options.features) }
    const store = makeStore(initialFeatures)
    const recent = ring<DomainEvent>(RECENT_EVENTS)
    store.subscribe(recent.push)
    const faults = makeFaults()
    const rateLimiter = makeRateLimiter(options.rateLimit ?? "clerk")
    let timeOffset = 0
    const log = ring<RecordedRequest>(Math.max(1, Math.floor(options.requestLogSize ?? 1000)))
    const now = Effect.map(Clock.currentTimeMillis, (t) => t + timeOffset)
    const signingTime = options.webhookTimestamps === "wall" ? Effect.sync(() => Date.now()) : Clock.currentTimeMillis
    const webhooks = yield* Webhooks.makeWebhooks({ now, signingTime, instanceId: makeId("ins"), requestAttributes })
    store.subscribe(webhooks.listener)

    const pipeline = makePipeline({
      routes: makeRoutes({ store }),
      validator,
      secretKeys,
      validateRequests: options.validateRequests ?? true,
      validateResponses: options.validateResponses ?? true,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      faults,
      rateLimiter,
      now,
      record: log.push,
      dropped: (kind, afterProcessing) => new ConnectionDropped({ kind, afterProcessing })
    })
    const handleRaw = (request: RawRequest) =>
      Effect.locally(pipeline(request), currentRequest, {
        client_ip: request.headers["x-forwarded-for"]?.split(",")[0]?.trim() || "127.0.0.1",
        user_agent: request.headers["user-agent"] ?? ""
      })
    const handle = webHandler(handleRaw)

    const service: ClerkEmulatorService = {
      secretKey: [...secretKeys][0] ?? defaultSecretKey,
      handle,
      seed: (seed, seedOptions) =>
        Effect.flatMap(
          now,
          (at) => applySeed(store, seed, at, seedOptions).pipe(Effect.mapError((message) => new SeedError({ message })))
        ),
      users: Effect.map(now, (at) => Array.from(store.usersInOrder(-1), (u) => presentUser(store.state(), u, at))),
      user: (id) =>
        Effect.map(now, (at) => {
          const u = store.user(id)
          return u === undefined ? undefined : presentUser(store.state(), u, at)
        }),
      totpCode: (userId) =>
        Effect.map(now, (at) => {
          const secret = store.user(userId)?.totpSecret
          return secret === null || secret === undefined ? undefined : totpCode(secret, at)
        }),
      events: Effect.sync(() => recent.read()),
      reset: Effect.zipRight(
        Effect.sync(() => {
          store.reset(initialFeatures)
          faults.clear()
          log.clear()
          timeOffset = 0
          recent.clear()
          rateLimiter.reset()
        }),
        webhooks.reset
      ),
      snapshot: Effect.sync(() => ({ version: 1 as const, state: store.snapshot() })),
      restore: (snapshot) =>
        Effect.flatMap(
          decodeSnapshot(snapshot).pipe(
            Effect.mapError((error) =>
              new InvalidSnapshot({ message: `not a snapshot the emulator can serve: ${describeIssues(error)}` })
            )
          ),
          (valid) => Effect.sync(() => store.restore(valid.state))
        ),
      injectFault: (fault) =>
        Effect.flatMap(
          decodeFault(fault).pipe(
            Effect.orDieWith((error) =>
              new Error(`injectFault: not a fault the emulator can apply: ${describeIssues(error)}`)
            )
          ),
          (valid) => Effect.sync(() => faults.inject(valid))
        ),
      clearFaults: Effect.sync(() => faults.clear()),
      setFeatures: (features) => Effect.sync(() => store.setFeatures(checkedFeatures("setFeatures", features))),
      setRateLimit: (next) => Effect.sync(() => rateLimiter.set(next)),
      advanceTime: (duration) =>
        Effect.sync(() => {
          timeOffset += Duration.toMillis(Duration.decode(duration))
          webhooks.timeMoved()
        }),
      requests: Effect.sync(() => log.read()),
      addWebhookEndpoint: (endpoint) =>
        toTarget(endpoint).pipe(
          Effect.flatMap((target) =>
            webhooks.add({
              target,
              events: endpoint.events,
              secret: endpoint.secret === undefined || typeof endpoint.secret === "string"
                ? endpoint.secret
                : Redacted.value(endpoint.secret)
            })
          ),
          Effect.mapError((error) => new InvalidWebhookEndpoint({ message: error.message }))
        ),
      removeWebhookEndpoint: (id) => webhooks.remove(id),
      webhookEndpoints: Effect.sync(() => webhooks.endpoints()),
      webhookDeliveries: Effect.sync(() => webhooks.deliveries())
    }
    registerRawHandler(service, handleRaw)
    return service
  })

/** The request being handled (its attributes go into the webhooks its changes send). */
const decodeFault = Schema.decodeUnknown(FaultInput, { onExcessProperty: "error", errors: "all" })

const decodeSnapshot = Schema.decodeUnknown(SnapshotSchema, { errors: "all" })

const decodeFeatures = Schema.decodeUnknownEither(Schema.partial(Features), {
  onExcessProperty: "error",
  errors: "all"
})

/** Features as given, checked as a snapshot holds them (a defect otherwise), keys given as `undefined` left out. */
const checkedFeatures = (where: string, features: unknown): Partial<InstanceFeatures> => {
  if (features === undefined) return {}
  const decoded = decodeFeatures(features)
  if (Either.isLeft(decoded)) {
    throw new Error(`${where}: not features the emulator can hold: ${describeIssues(decoded.left)}`)
  }
  const out: { -readonly [K in keyof InstanceFeatures]?: InstanceFeatures[K] } = {}
  for (const [key, value] of Object.entries(decoded.right)) {
    if (value !== undefined) Object.assign(out, { [key]: value })
  }
  return out
}

const currentRequest = FiberRef.unsafeMake<Webhooks.HttpRequestAttributes | undefined>(undefined)

/** Read synchronously by the store listener, inside the fiber that made the change. */
const requestAttributes = (): Webhooks.HttpRequestAttributes =>
  Option.match(Fiber.getCurrentFiber(), {
    onNone: () => undefined,
    onSome: (fiber) => fiber.getFiberRef(currentRequest)
  }) ?? { client_ip: "", user_agent: "" }

/** What an in-process handler gets from the emulator itself: the request, and a scope per delivery. */
type Provided = HttpServerRequest.HttpServerRequest | Scope.Scope

/** An endpoint's target; an in-process handler runs with the services of the caller of `addWebhookEndpoint`. */
const toTarget = <R>(
  endpoint: WebhookEndpointOptions<R>
): Effect.Effect<Webhooks.Target, never, Exclude<R, Provided>> => {
  if ("url" in endpoint) return Effect.succeed({ _tag: "Url", url: endpoint.url })
  const handler = endpoint.handler
  return Effect.map(Effect.runtime<Exclude<R, Provided>>(), (runtime): Webhooks.Target => {
    if (typeof handler !== "function") {
      // toWebHandlerRuntime provides the request and a scope: the rest of R is the runtime's
      const web = HttpApp.toWebHandlerRuntime(runtime)(
        handler as HttpApp.Default<unknown, Exclude<R, Provided> | Scope.Scope>
      )
      return {
        _tag: "Handler",
        send: (request) =>
          Effect.tryPromise({ try: (signal) => web(new Request(request, { signal })), catch: (error) => error })
      }
    }
    return {
      _tag: "Handler",
      send: (request) => {
        const out = handler(request)
        if (!Effect.isEffect(out)) {
          return Effect.tryPromise({
            try: () => Promise.resolve(out),
            catch: (error) => error
          })
        }
        const own = out.pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(request)),
          Effect.scoped
        ) as Effect.Effect<Response, unknown, Exclude<R, Provided>>
        return Effect.provide(own, runtime.context)
      }
    }
  })
}

/** How many recent domain events `events` keeps. */
const RECENT_EVENTS = 1000

/**
 * The emulator as a layer (a fresh one per build; releasing the layer stops its webhook deliveries).
 *
 * @example
 * ```ts
 * import { ClerkEmulator } from "@effect-clerk/testing"
 * const EmulatorLive = ClerkEmulator.layer({ rateLimit: false })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<ClerkEmulator> => Layer.scoped(ClerkEmulator, make(options))

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
  /** @see {@link InvalidWebhookEndpoint} */
  static readonly InvalidWebhookEndpoint = InvalidWebhookEndpoint
  /** @see {@link InvalidSnapshot} */
  static readonly InvalidSnapshot = InvalidSnapshot
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
  /** @since 0.2.0 */
  export type SeedOptions = Self.SeedOptions
  /** @since 0.2.0 */
  export type DomainEvent = Self.DomainEvent
  /** @since 0.2.0 */
  export type WebhookEventType = Self.WebhookEventType
  /** @since 0.2.0 */
  export type WebhookHandler<R = never> = Self.WebhookHandler<R>
  /** @since 0.2.0 */
  export type WebhookEndpointOptions<R = never> = Self.WebhookEndpointOptions<R>
  /** @since 0.2.0 */
  export type WebhookEndpoint = Self.WebhookEndpoint
  /** @since 0.2.0 */
  export type WebhookDelivery = Self.WebhookDelivery
  /** @since 0.2.0 */
  export type WebhookAttempt = Self.WebhookAttempt
  /** @since 0.2.0 */
  export type InvalidWebhookEndpoint = Self.InvalidWebhookEndpoint
  /** @since 0.2.0 */
  export type InvalidSnapshot = Self.InvalidSnapshot
}
