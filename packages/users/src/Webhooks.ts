/**
 * Receiving Clerk's webhooks: verification by the Standard Webhooks scheme Clerk sends through Svix (`svix-id`,
 * `svix-timestamp`, `svix-signature`, a `whsec_…` secret), the events as a typed union whose `user.*` members carry
 * the same `Models.User` as `Users.get`, and an `HttpApp` that turns all of it into one line in a router.
 *
 * The signature itself is computed by `standardwebhooks` (the library `@clerk/backend` uses); the timestamp
 * tolerance (5 minutes) is checked here against Effect's `Clock`, so `TestClock` drives it (the library would read
 * `Date.now`).
 *
 * @since 0.2.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Webhook } from "standardwebhooks"
import { openEnum } from "./internal/schema.js"
import * as internal from "./internal/webhooks.js"
import * as Models from "./Models.js"

// ---------------------------------------------------------------------------------------------------------------
// events
// ---------------------------------------------------------------------------------------------------------------

/**
 * `event_attributes.http_request`: the request that caused the event, when there was one.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const request = Schema.decodeUnknownSync(Webhooks.HttpRequestAttributes)({ client_ip: "192.0.2.1", user_agent: "curl/8" })
 * console.log(request.clientIp)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const HttpRequestAttributes = Schema.Struct({
  clientIp: Schema.optionalWith(Schema.String, { nullable: true }).pipe(Schema.fromKey("client_ip")),
  userAgent: Schema.optionalWith(Schema.String, { nullable: true }).pipe(Schema.fromKey("user_agent"))
}).annotations({ identifier: "HttpRequestAttributes" })

/**
 * `event_attributes`: what Clerk adds about the event's origin (today only `http_request`).
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const attributes = Schema.decodeUnknownSync(Webhooks.EventAttributes)({ http_request: { client_ip: "192.0.2.1" } })
 * console.log(attributes.httpRequest?.clientIp)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const EventAttributes = Schema.Struct({
  httpRequest: Schema.optionalWith(HttpRequestAttributes, { nullable: true }).pipe(Schema.fromKey("http_request"))
}).annotations({ identifier: "EventAttributes" })

/**
 * The envelope every Clerk event has around its `data`: `object` (always `"event"`), `timestamp` (milliseconds),
 * `instance_id`, `event_attributes` (optional here: it describes, it does not identify).
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const Envelope = Schema.Struct(Webhooks.envelopeFields)
 * const envelope = Schema.decodeUnknownSync(Envelope)({ object: "event", timestamp: 1, instance_id: "ins_1" })
 * console.log(envelope.instanceId)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const envelopeFields = {
  object: Schema.Literal("event"),
  timestamp: Schema.Number,
  instanceId: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("instance_id")),
  eventAttributes: Schema.optionalWith(EventAttributes, { nullable: true }).pipe(Schema.fromKey("event_attributes"))
}

/**
 * The `data` of `user.deleted`: Clerk's deleted object (`{ deleted: true, id, object: "user" }`, with the user's
 * `external_id` when it had one). The id is required here (`Models.DeletedObject` has it optional, as for every
 * resource): a deletion without the user's id could not be acted on.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const deleted = Schema.decodeUnknownSync(Webhooks.DeletedUser)({ deleted: true, id: "user_1", object: "user" })
 * console.log(deleted.id)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const DeletedUser = Schema.Struct({
  id: Schema.String,
  object: openEnum("user"),
  deleted: Schema.Boolean,
  externalId: Schema.optionalWith(Schema.String, { nullable: true }).pipe(Schema.fromKey("external_id"))
}).annotations({ identifier: "DeletedUser" })

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const deleted: Webhooks.DeletedUser = { id: "user_1", object: "user", deleted: true }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface DeletedUser extends Schema.Schema.Type<typeof DeletedUser> {}

/**
 * `user.created`: the new user, as `Users.get` returns it. Decoded events carry a `_tag` (`"UserCreated"`), added on
 * decoding and dropped on encoding, so the union narrows with `Match.tag` or a `switch`.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * const onCreated = (event: Webhooks.UserCreated) => Effect.log(`welcome ${event.data.id}`)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const UserCreated = Schema.Struct({
  type: Schema.Literal("user.created"),
  data: Models.User,
  ...envelopeFields
}).pipe(Schema.attachPropertySignature("_tag", "UserCreated")).annotations({ identifier: "UserCreated" })

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const email = (event: Webhooks.UserCreated) => event.data.emailAddresses[0]?.emailAddress
 * ```
 * @since 0.2.0
 * @category models
 */
export interface UserCreated extends Schema.Schema.Type<typeof UserCreated> {}

/**
 * `user.updated`: the whole user after the change, as `Users.get` then returns it.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * const onUpdated = (event: Webhooks.UserUpdated) => Effect.log(`${event.data.id} changed at ${event.data.updatedAt}`)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const UserUpdated = Schema.Struct({
  type: Schema.Literal("user.updated"),
  data: Models.User,
  ...envelopeFields
}).pipe(Schema.attachPropertySignature("_tag", "UserUpdated")).annotations({ identifier: "UserUpdated" })

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const banned = (event: Webhooks.UserUpdated) => event.data.banned
 * ```
 * @since 0.2.0
 * @category models
 */
export interface UserUpdated extends Schema.Schema.Type<typeof UserUpdated> {}

/**
 * `user.deleted`: the deleted object (`DeletedUser`), not the user.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * const onDeleted = (event: Webhooks.UserDeleted) => Effect.log(`forget ${event.data.id}`)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const UserDeleted = Schema.Struct({
  type: Schema.Literal("user.deleted"),
  data: DeletedUser,
  ...envelopeFields
}).pipe(Schema.attachPropertySignature("_tag", "UserDeleted")).annotations({ identifier: "UserDeleted" })

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const id = (event: Webhooks.UserDeleted) => event.data.id
 * ```
 * @since 0.2.0
 * @category models
 */
export interface UserDeleted extends Schema.Schema.Type<typeof UserDeleted> {}

/**
 * The event types this module decodes into their own members; every other type is an `OtherEvent`.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * console.log(Webhooks.userEventTypes.includes("user.created"))
 * ```
 * @since 0.2.0
 * @category constants
 */
export const userEventTypes: ReadonlyArray<string> = ["user.created", "user.updated", "user.deleted"]

/**
 * Any event type other than the three user events (`session.created`, `organization.updated`, types Clerk adds
 * later...): its type and its raw `data`, untouched, so an endpoint that receives more than user events keeps
 * working.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const event = Schema.decodeUnknownSync(Webhooks.WebhookEvent)({
 *   type: "session.created", object: "event", timestamp: 1, instance_id: "ins_1", data: { id: "sess_1" }
 * })
 * if (event._tag === "OtherEvent") console.log(event.type, event.data)
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const OtherEvent = Schema.Struct({
  type: Schema.String.pipe(Schema.filter((type) => !userEventTypes.includes(type), { identifier: "OtherEventType" })),
  data: Schema.Unknown,
  ...envelopeFields
}).pipe(Schema.attachPropertySignature("_tag", "OtherEvent")).annotations({ identifier: "OtherEvent" })

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const kind = (event: Webhooks.OtherEvent) => event.type.split(".")[0]
 * ```
 * @since 0.2.0
 * @category models
 */
export interface OtherEvent extends Schema.Schema.Type<typeof OtherEvent> {}

/**
 * Every event Clerk sends, decoded from the wire (snake_case) into camelCase. A `user.*` event whose data is not
 * a valid user fails to decode; an unknown type never does.
 * Encoding gives back the wire form of the fields the schemas know: top-level envelope fields they do not know are
 * dropped (an `OtherEvent`'s `data` is kept whole).
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect, Match } from "effect"
 *
 * const handle = Match.type<Webhooks.WebhookEvent>().pipe(
 *   Match.tag("UserCreated", "UserUpdated", (event) => Effect.log(`upsert ${event.data.id}`)),
 *   Match.tag("UserDeleted", (event) => Effect.log(`delete ${event.data.id}`)),
 *   Match.tag("OtherEvent", () => Effect.void),
 *   Match.exhaustive
 * )
 * ```
 * @since 0.2.0
 * @category schemas
 */
export const WebhookEvent = Schema.Union(UserCreated, UserUpdated, UserDeleted, OtherEvent).annotations({
  identifier: "WebhookEvent"
})

/**
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const userId = (event: Webhooks.WebhookEvent) => event._tag === "OtherEvent" ? undefined : event.data.id
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookEvent = UserCreated | UserUpdated | UserDeleted | OtherEvent

/**
 * The wire (snake_case) form of an event, as Clerk sends it: what `Schema.encode(WebhookEvent)` produces.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Schema } from "effect"
 * const wire: Webhooks.WebhookEventEncoded = Schema.encodeSync(Webhooks.WebhookEvent)({
 *   _tag: "OtherEvent", type: "session.created", object: "event", timestamp: 1, instanceId: "ins_1", data: {}
 * })
 * ```
 * @since 0.2.0
 * @category models
 */
export type WebhookEventEncoded = Schema.Schema.Encoded<typeof WebhookEvent>

/**
 * A verified delivery: the message id (`svix-id`, the same on every retry of one event: the key for idempotency),
 * the time it was signed (`svix-timestamp`) and the decoded event.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const key = (message: Webhooks.Message) => `${message.id}:${message.event.type}`
 * ```
 * @since 0.2.0
 * @category models
 */
export interface Message {
  readonly id: string
  readonly timestamp: DateTime.Utc
  readonly event: WebhookEvent
}

// ---------------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * A Standard Webhooks header is missing (or empty), or is not what it must be (not a string, or a timestamp that is
 * not whole seconds). Verification failed: the endpoint answers 401.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * const error = new Webhooks.WebhookInvalidHeader({ header: "svix-id", reason: "Missing", message: "svix-id is missing" })
 * console.log(error._tag)
 * ```
 * @since 0.2.0
 * @category errors
 */
export class WebhookInvalidHeader extends Schema.TaggedError<WebhookInvalidHeader>()("WebhookInvalidHeader", {
  header: Schema.Literal("svix-id", "svix-timestamp", "svix-signature"),
  reason: Schema.Literal("Missing", "Malformed"),
  message: Schema.String
}) {}

/**
 * No `v1` signature in `svix-signature` matches the body signed with the secret: the body was changed, the secret
 * is not this endpoint's, or the sender is not Clerk. The endpoint answers 401.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * const error = new Webhooks.WebhookInvalidSignature({ webhookId: "msg_1", message: "no matching signature" })
 * console.log(error.webhookId)
 * ```
 * @since 0.2.0
 * @category errors
 */
export class WebhookInvalidSignature extends Schema.TaggedError<WebhookInvalidSignature>()("WebhookInvalidSignature", {
  webhookId: Schema.String,
  message: Schema.String
}) {}

/**
 * `svix-timestamp` is more than 5 minutes before or after now (Effect's `Clock`): a replay, or a clock far off.
 * The endpoint answers 401.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * const error = new Webhooks.WebhookTimestampOutOfTolerance({
 *   webhookId: "msg_1", reason: "TooOld", timestamp: 1_700_000_000, now: 1_700_000_400, message: "too old"
 * })
 * console.log(error.now - error.timestamp)
 * ```
 * @since 0.2.0
 * @category errors
 */
export class WebhookTimestampOutOfTolerance
  extends Schema.TaggedError<WebhookTimestampOutOfTolerance>()("WebhookTimestampOutOfTolerance", {
    webhookId: Schema.String,
    reason: Schema.Literal("TooOld", "TooNew"),
    /** `svix-timestamp`, seconds. */
    timestamp: Schema.Number,
    /** `Clock` at verification, seconds. */
    now: Schema.Number,
    message: Schema.String
  })
{}

/**
 * The body is not an event: not text, not JSON, or not a valid event (a `user.*` event whose data is not a user).
 * For `NotJson` and `InvalidEvent` the signature was valid, so the sender was Clerk. The endpoint answers 400.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * const error = new Webhooks.WebhookInvalidPayload({ webhookId: "msg_1", reason: "NotJson", message: "not JSON" })
 * console.log(error.reason)
 * ```
 * @since 0.2.0
 * @category errors
 */
export class WebhookInvalidPayload extends Schema.TaggedError<WebhookInvalidPayload>()("WebhookInvalidPayload", {
  webhookId: Schema.String,
  reason: Schema.Literal("NotText", "NotJson", "InvalidEvent"),
  message: Schema.String
}) {}

/**
 * Everything `verify` can fail with.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const status = (error: Webhooks.WebhookError) => error._tag === "WebhookInvalidPayload" ? 400 : 401
 * ```
 * @since 0.2.0
 * @category errors
 */
export type WebhookError =
  | WebhookInvalidHeader
  | WebhookInvalidSignature
  | WebhookTimestampOutOfTolerance
  | WebhookInvalidPayload

// ---------------------------------------------------------------------------------------------------------------
// verification
// ---------------------------------------------------------------------------------------------------------------

/**
 * The headers `verify` reads: a web `Headers`, the platform's `Headers`, Node's `IncomingHttpHeaders`, or any
 * record (names matched case-insensitively; a value that is not a string is refused, typed).
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const headers: Webhooks.HeadersInput = { "svix-id": "msg_1", "svix-timestamp": "1700000000", "svix-signature": "v1,..." }
 * ```
 * @since 0.2.0
 * @category models
 */
export type HeadersInput = Headers | Readonly<Record<string, unknown>>

/**
 * The verifier: holds the secret (captured, never a property: the service prints and serialises to nothing).
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * const program = Effect.flatMap(Webhooks.ClerkWebhooks, (webhooks) => webhooks.verify("{}", {}))
 * ```
 * @since 0.2.0
 * @category models
 */
export interface Service {
  readonly verify: (body: string | Uint8Array, headers: HeadersInput) => Effect.Effect<Message, WebhookError>
}

/**
 * The service tag. Provide it with `layerConfig()` (reads `CLERK_WEBHOOK_SIGNING_SECRET`) or `layer({ secret })`.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * const verifyOne = (body: string, headers: Headers) =>
 *   Effect.flatMap(Webhooks.ClerkWebhooks, (webhooks) => webhooks.verify(body, headers))
 * ```
 * @since 0.2.0
 * @category tags
 */
export class ClerkWebhooks extends Context.Tag("@effect-clerk/users/ClerkWebhooks")<ClerkWebhooks, Service>() {}

/**
 * Standard Webhooks' tolerance: a message signed more than this many seconds before or after now is refused.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * console.log(Webhooks.toleranceSeconds / 60) // 5
 * ```
 * @since 0.2.0
 * @category constants
 */
export const toleranceSeconds = 5 * 60

/**
 * The one rule for a signing secret, shared by `layer` / `layerConfig` and the emulator's endpoints: surrounding
 * whitespace trimmed (a secret from a file or an env var often ends with a newline), `whsec_` optional (Clerk shows
 * it; Svix and `standardwebhooks` also take the bare base64), then padded base64 of a key of at least 16 bytes
 * (Clerk's are 24). Succeeds with the trimmed secret (still `Redacted`), or fails with why, never naming the secret.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Either, Redacted } from "effect"
 * console.log(Either.isRight(Webhooks.parseSecret(Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")))) // true
 * console.log(Either.isLeft(Webhooks.parseSecret(Redacted.make("whsec_Zm9v")))) // true: a 3-byte key
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const parseSecret = (
  secret: Redacted.Redacted<string> | string
): Either.Either<Redacted.Redacted<string>, string> => parseAnySecret(secret)

/** `parseSecret` for a value of any runtime type (a caller's options may hold anything; nothing here throws). */
const parseAnySecret = (secret: unknown): Either.Either<Redacted.Redacted<string>, string> => {
  let value: unknown
  try {
    value = Redacted.isRedacted(secret) ? Redacted.value(secret) : secret
  } catch {
    value = undefined
  }
  const checked = internal.checkSecret(value)
  return checked._tag === "Valid" ? Either.right(Redacted.make(checked.secret)) : Either.left(checked.reason)
}

/** The library's verifier for a secret, or why the secret is unusable (a message without the secret). */
const keyOf = (secret: unknown): Either.Either<Webhook, string> =>
  Either.flatMap(parseAnySecret(secret), (valid) => {
    try {
      return Either.right(new Webhook(Redacted.value(valid)))
    } catch {
      return Either.left("not a Standard Webhooks signing secret (whsec_ followed by base64)")
    }
  })

const headerOf = (headers: unknown, name: internal.HeaderName): Effect.Effect<string, WebhookInvalidHeader> => {
  const read = internal.readHeader(headers, name)
  switch (read._tag) {
    case "Found":
      return Effect.succeed(read.value)
    case "Missing":
      return Effect.fail(new WebhookInvalidHeader({ header: name, reason: "Missing", message: `${name} is missing` }))
    case "Malformed":
      return Effect.fail(
        new WebhookInvalidHeader({ header: name, reason: "Malformed", message: `${name} is ${read.detail}` })
      )
  }
}

const checkTimestamp = (webhookId: string, text: string) =>
  Effect.gen(function*() {
    const timestamp = internal.parseTimestamp(text)
    if (timestamp === undefined) {
      return yield* new WebhookInvalidHeader({
        header: "svix-timestamp",
        reason: "Malformed",
        message: "svix-timestamp is not whole seconds since the epoch"
      })
    }
    const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    if (Math.abs(now - timestamp) > toleranceSeconds) {
      const reason = timestamp < now ? "TooOld" : "TooNew"
      return yield* new WebhookTimestampOutOfTolerance({
        webhookId,
        reason,
        timestamp,
        now,
        message: `svix-timestamp is ${Math.abs(now - timestamp)} s ${
          reason === "TooOld" ? "old" : "ahead"
        } (tolerance ${toleranceSeconds} s)`
      })
    }
    return timestamp
  })

const decoders = {
  "user.created": Schema.decodeUnknown(UserCreated),
  "user.updated": Schema.decodeUnknown(UserUpdated),
  "user.deleted": Schema.decodeUnknown(UserDeleted),
  other: Schema.decodeUnknown(OtherEvent)
}

/** The member's decoder for the payload's `type` (so a failure names the member's issues, not the union's). */
const decoderFor = (json: unknown): (u: unknown) => Effect.Effect<WebhookEvent, ParseResult.ParseError> => {
  const type = typeof json === "object" && json !== null && "type" in json ? json.type : undefined
  return type === "user.created" || type === "user.updated" || type === "user.deleted"
    ? decoders[type]
    : decoders.other
}

const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length === 0 ? "the event" : issue.path.join(".")}: ${issue.message}`)
    .join("; ")

const describeIssuesSafely = (error: ParseResult.ParseError): string => {
  try {
    return internal.truncate(describeIssues(error), 2000)
  } catch {
    return "the body is not a valid event"
  }
}

const parseEvent = (webhookId: string, text: string): Effect.Effect<WebhookEvent, WebhookInvalidPayload> => {
  // bounded before anything recursive (decoding, formatting an issue) walks it: a body nested thousands deep
  // would otherwise overflow the stack
  if (internal.nestsDeeperThan(text, internal.maxJsonDepth)) {
    return Effect.fail(
      new WebhookInvalidPayload({
        webhookId,
        reason: "InvalidEvent",
        message: `the body nests deeper than ${internal.maxJsonDepth} levels`
      })
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return Effect.fail(new WebhookInvalidPayload({ webhookId, reason: "NotJson", message: "the body is not JSON" }))
  }
  const invalid = (message: string) => new WebhookInvalidPayload({ webhookId, reason: "InvalidEvent", message })
  return Effect.suspend(() => decoderFor(json)(json)).pipe(
    Effect.mapError((error) => invalid(describeIssuesSafely(error))),
    // nothing in decoding should throw; if it does, the body is still only an invalid event, never a defect
    Effect.catchAllDefect(() => Effect.fail(invalid("the body is not a valid event")))
  )
}

const verifyWith = (key: Webhook) => (body: string | Uint8Array, headers: HeadersInput) =>
  Effect.gen(function*() {
    const id = yield* headerOf(headers, "svix-id")
    const timestampText = yield* headerOf(headers, "svix-timestamp")
    const signatures = yield* headerOf(headers, "svix-signature")
    const timestamp = yield* checkTimestamp(id, timestampText)
    const text = internal.bodyText(body)
    if (text === undefined) {
      return yield* new WebhookInvalidPayload({ webhookId: id, reason: "NotText", message: "the body is not text" })
    }
    // the HMAC is the library's (`sign` computes `v1,base64(HMAC-SHA256(key, id.timestamp.body))`)
    let expected: string
    try {
      expected = key.sign(id, new Date(timestamp * 1000), text).slice("v1,".length)
    } catch {
      expected = ""
    }
    const valid = expected !== "" &&
      internal.v1Signatures(signatures).some((candidate) => internal.constantTimeEqual(candidate, expected))
    if (!valid) {
      return yield* new WebhookInvalidSignature({ webhookId: id, message: "no v1 signature matches the body" })
    }
    const event = yield* parseEvent(id, text)
    return { id, timestamp: DateTime.unsafeMake(timestamp * 1000), event } satisfies Message
  })

/**
 * Options for `make` and `layer`.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * import { Redacted } from "effect"
 * const options: Webhooks.Options = { secret: Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** The endpoint's signing secret (`whsec_…`, from the Clerk Dashboard's Webhooks page). */
  readonly secret: Redacted.Redacted<string>
}

/**
 * Builds the verifier; fails with a `ConfigError` (not naming the secret) when the secret is not `whsec_` + base64.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Redacted } from "effect"
 * const verifier = Webhooks.make({ secret: Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") })
 * ```
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ConfigError.ConfigError> => {
  const secret = internal.readField(options, "secret")
  return Either.match(secret._tag === "Read" ? keyOf(secret.value) : Either.left(unreadableOptions), {
    onLeft: (message) => Effect.fail(ConfigError.InvalidData([], `webhook signing secret: ${message}`)),
    onRight: (key) => Effect.succeed({ verify: verifyWith(key) })
  })
}

const unreadableOptions = "the options could not be read"

/** Whether `value` is a `Config`, false when asking throws (a revoked Proxy). */
const isConfig = (value: unknown): value is Config.Config<unknown> => {
  try {
    return Config.isConfig(value)
  } catch {
    return false
  }
}

/**
 * A layer from an explicit secret.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Redacted } from "effect"
 * const WebhooksLive = Webhooks.layer({ secret: Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") })
 * ```
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ClerkWebhooks, ConfigError.ConfigError> =>
  Layer.effect(ClerkWebhooks, make(options))

const defaultSecretName = "CLERK_WEBHOOK_SIGNING_SECRET"

/**
 * A layer reading the secret from `CLERK_WEBHOOK_SIGNING_SECRET` (Clerk's documented name), or from the config you
 * pass. A missing or malformed secret fails the layer with a `ConfigError` that does not contain it.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Config } from "effect"
 * const WebhooksLive = Webhooks.layerConfig()
 * const FromOtherName = Webhooks.layerConfig({ secret: Config.redacted("CLERK_WEBHOOK_SECRET") })
 * ```
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  config?: { readonly secret?: Config.Config<Redacted.Redacted<string>> | undefined }
): Layer.Layer<ClerkWebhooks, ConfigError.ConfigError> => {
  const given = internal.readField(config, "secret")
  if (given._tag === "Unreadable") {
    return Layer.fail(ConfigError.InvalidData([], `webhook signing secret: ${unreadableOptions}`))
  }
  const source = given.value ?? Config.redacted(defaultSecretName)
  if (!isConfig(source)) {
    return Layer.fail(ConfigError.InvalidData([], "webhook signing secret: `secret` must be a Config"))
  }
  return Layer.effect(
    ClerkWebhooks,
    source.pipe(
      Config.mapOrFail((secret) =>
        Either.match(keyOf(secret), {
          // `mapOrFail` does not prefix the path: name the variable when it is ours
          onLeft: (message) =>
            Either.left(ConfigError.InvalidData(given.value === undefined ? [defaultSecretName] : [], message)),
          onRight: () => Either.right(secret)
        })
      ),
      Effect.flatMap((secret) => make({ secret: secret as Redacted.Redacted<string> }))
    )
  )
}

/**
 * Verifies one delivery and decodes its event: the three headers present, the timestamp within 5 minutes of
 * `Clock`, one `v1` signature matching `id.timestamp.body` under the secret, the body a valid event. Never dies,
 * whatever the body and headers.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { Effect } from "effect"
 *
 * // in any server: the raw body (text or bytes, before any JSON parsing) and the request headers
 * const receive = (body: string, headers: Headers) =>
 *   Webhooks.verify(body, headers).pipe(
 *     Effect.tap(({ id, event }) => Effect.log(`${id}: ${event.type}`)),
 *     Effect.provide(Webhooks.layerConfig())
 *   )
 * ```
 * @since 0.2.0
 * @category verification
 */
export const verify = (
  body: string | Uint8Array,
  headers: HeadersInput
): Effect.Effect<Message, WebhookError, ClerkWebhooks> =>
  Effect.flatMap(ClerkWebhooks, (webhooks) => webhooks.verify(body, headers))

// ---------------------------------------------------------------------------------------------------------------
// the endpoint
// ---------------------------------------------------------------------------------------------------------------

/**
 * Options of `httpApp`.
 *
 * @example
 * ```ts
 * import type { Webhooks } from "@effect-clerk/users"
 * const options: Webhooks.HttpAppOptions = { maxBodySize: 256 * 1024 }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface HttpAppOptions {
  /** Bodies larger than this many bytes are refused with 413 without being read whole. Default 1 MiB. */
  readonly maxBodySize?: number | undefined
}

/**
 * The handler's effect for a message: a handler that throws, or returns something that is no Effect (Effect's
 * runtime cannot run a revoked Proxy: it rejects the whole fiber), is a handler that died (500, logged).
 */
const runHandler = <E, R>(handler: (message: Message) => Effect.Effect<unknown, E, R>, message: Message) =>
  Effect.suspend((): Effect.Effect<unknown, E, R> => {
    const out: unknown = handler(message)
    let isEffect = false
    try {
      isEffect = Effect.isEffect(out)
    } catch {
      // a revoked Proxy: not an Effect
    }
    // an Effect, as the handler's type promises: its error and context are the ones that type names
    return isEffect ? out as Effect.Effect<unknown, E, R> : Effect.dieMessage("the webhook handler returned no Effect")
  })

/** `httpApp`'s body limit (1 MiB when absent), or why the options cannot give one (the endpoint then answers 500). */
const maxBodySize = (options: unknown): number | string => {
  const read = internal.readField(options, "maxBodySize")
  if (read._tag === "Unreadable") return unreadableOptions
  const value = read.value
  if (value === undefined) return 1024 * 1024
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0
    ? value
    : `maxBodySize must be a positive integer, got ${typeof value === "number" ? String(value) : typeof value}`
}

const refusalStatus = (error: WebhookError): number => error._tag === "WebhookInvalidPayload" ? 400 : 401

const refuse = (error: WebhookError) =>
  Effect.as(
    Effect.logWarning(`Clerk webhook refused: ${error._tag}: ${error.message}`),
    HttpServerResponse.text(`${error._tag}: ${error.message}`, { status: refusalStatus(error) })
  )

const bodyRefusal = (failure: internal.BodyFailure) =>
  failure._tag === "TooLarge"
    ? HttpServerResponse.text(`the body is larger than ${failure.limit} bytes`, { status: 413 })
    : HttpServerResponse.text("the body could not be read", { status: 400 })

/**
 * The webhook endpoint as an `HttpApp` (mount it in an `HttpRouter`, or serve it alone): reads the raw body,
 * verifies and decodes it (`verify`), runs `handler`, and answers
 * - 204 when the handler succeeds;
 * - 401 when verification fails (a header missing or malformed, no matching signature, timestamp out of tolerance),
 *   400 when the body is not a valid event, 413 when it is larger than `maxBodySize`, 405 for a method other than POST;
 * - 500 when the handler fails, dies, throws or returns no Effect (logged with the message id), so Svix retries the
 *   delivery later; and on every request when `maxBodySize` is not a positive integer (logged).
 *
 * Deliveries are at least once: the same message (same `id`, the `svix-id` header) can arrive again, so make the
 * handler idempotent on `message.id` (README: "Webhooks").
 *
 * @example
 * ```ts
 * import { Webhooks } from "@effect-clerk/users"
 * import { HttpRouter } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.post("/webhooks/clerk", Webhooks.httpApp(({ id, event }) => Effect.log(`${id}: ${event.type}`)))
 * )
 * // provide Webhooks.layerConfig() with the server's layers
 * ```
 * @since 0.2.0
 * @category endpoint
 */
export const httpApp = <E, R>(
  handler: (message: Message) => Effect.Effect<unknown, E, R>,
  options?: HttpAppOptions
): HttpApp.Default<never, ClerkWebhooks | R> => {
  const limit = maxBodySize(options)
  return Effect.gen(function*() {
    if (typeof limit === "string") {
      yield* Effect.logError(`Webhooks.httpApp: ${limit}`)
      return HttpServerResponse.text("the webhook endpoint is misconfigured", { status: 500 })
    }
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "POST") {
      return HttpServerResponse.text("POST only", { status: 405, headers: { allow: "POST" } })
    }
    const body = yield* Effect.either(internal.readBody(request, limit))
    if (Either.isLeft(body)) return bodyRefusal(body.left)
    const verified = yield* Effect.either(verify(body.right, request.headers))
    if (Either.isLeft(verified)) return yield* refuse(verified.left)
    const message = verified.right
    yield* Effect.annotateCurrentSpan({ "svix.id": message.id, "clerk.event.type": message.event.type })
    const exit = yield* Effect.exit(runHandler(handler, message))
    if (Exit.isSuccess(exit)) return HttpServerResponse.empty({ status: 204 })
    yield* Effect.logError("Clerk webhook handler failed", exit.cause).pipe(
      Effect.annotateLogs({ "svix.id": message.id, "clerk.event.type": message.event.type })
    )
    return HttpServerResponse.text(
      Cause.isInterruptedOnly(exit.cause) ? "the webhook handler was interrupted" : "the webhook handler failed",
      { status: 500 }
    )
  })
}
