/**
 * Webhook endpoints and their delivery, as Clerk sends them through Svix: the store's `DomainEvent`s become
 * `user.created` / `user.updated` / `user.deleted` messages, signed per Standard Webhooks (`svix-id`,
 * `svix-timestamp`, `svix-signature`), POSTed to each endpoint whose filter takes them, and retried on Svix's
 * schedule on the emulator's clock.
 *
 * One runner per endpoint: a queue the store listener offers to (it never waits) and a fiber that makes the first
 * attempts in the order the changes happened; a message whose attempt fails gets its own retry fiber, so a failing
 * message never holds back the next one (as with Svix).
 *
 * @internal
 */
import { Codec } from "@effect-clerk/core"
import { Models, Webhooks as SdkWebhooks } from "@effect-clerk/users"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as crypto from "node:crypto"
import { Webhook } from "standardwebhooks"
import { makeId } from "./crypto.js"
import type { DomainEvent } from "./events.js"

/** @internal */
export type WebhookEventType = "user.created" | "user.updated" | "user.deleted"

/** @internal */
export const webhookEventTypes: ReadonlyArray<WebhookEventType> = ["user.created", "user.updated", "user.deleted"]

/** Where an endpoint's messages go: a URL (a real HTTP POST), or an in-process handler (no socket). @internal */
export type Target =
  | { readonly _tag: "Url"; readonly url: string }
  | { readonly _tag: "Handler"; readonly send: (request: Request) => Effect.Effect<Response, unknown> }

/** @internal */
export interface EndpointInfo {
  readonly id: string
  /** `undefined` for an in-process handler. */
  readonly url: string | undefined
  readonly events: ReadonlyArray<WebhookEventType>
  readonly secret: Redacted.Redacted<string>
}

/** One try at delivering a message. @internal */
export interface Attempt {
  /** The emulator's time of the attempt (ms). */
  readonly at: number
  /** The response's status; `null` when there was none (timeout, refused connection, a handler that threw). */
  readonly status: number | null
  /** Why there was no response (`"timeout"`, or the connection error). */
  readonly error: string | null
  /** The first 500 characters of the response body. */
  readonly response: string
}

/** A message's delivery to one endpoint. @internal */
export interface Delivery {
  readonly messageId: string
  readonly endpointId: string
  readonly eventType: WebhookEventType
  /** The user the event is about. */
  readonly userId: string
  /** `pending` until a 2xx (`succeeded`), or the last attempt failed or the endpoint was removed (`failed`). */
  readonly status: "pending" | "succeeded" | "failed"
  readonly attempts: ReadonlyArray<Attempt>
  /** When the next attempt is due (the emulator's time, ms), while pending and waiting. */
  readonly nextAttemptAt: number | null
}

type DeliveryRecord = { -readonly [K in keyof Delivery]: Delivery[K] } & { attempts: Array<Attempt> }

interface Message {
  readonly id: string
  readonly type: WebhookEventType
  readonly userId: string
  readonly body: string
}

/** The request that caused an event (Clerk's `event_attributes.http_request`). @internal */
export interface HttpRequestAttributes {
  readonly client_ip: string
  readonly user_agent: string
}

/** A secret that is not `whsec_` + base64, or a URL that is not http(s). @internal */
export class InvalidEndpoint extends Error {
  readonly _tag = "InvalidEndpoint"
}

/** @internal */
export interface Webhooks {
  /** The store listener: enqueues, never waits. */
  readonly listener: (event: DomainEvent) => void
  readonly add: (input: {
    readonly target: Target
    readonly events?: ReadonlyArray<string> | undefined
    readonly secret?: string | undefined
  }) => Effect.Effect<EndpointInfo, InvalidEndpoint>
  /** `false` when there is no such endpoint. Its pending deliveries stop. */
  readonly remove: (id: string) => Effect.Effect<boolean>
  readonly endpoints: () => ReadonlyArray<EndpointInfo>
  /** The delivery log, oldest first (the most recent 1000 deliveries). */
  readonly deliveries: () => ReadonlyArray<Delivery>
  /** Drops pending deliveries and the log; keeps the endpoints. */
  readonly reset: Effect.Effect<void>
  /** The emulator's clock jumped (`advanceTime`): waiting attempts look at the time again. */
  readonly timeMoved: () => void
}

/** Svix's schedule: after the first attempt, these waits (ms). @internal */
export const retrySchedule: ReadonlyArray<number> = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000
]

/** How long an attempt may take (Svix: 15 s). @internal */
export const attemptTimeoutMs = 15_000

const LOG_CAPACITY = 1000
const EXCERPT = 500

/** A Svix-looking signing secret: `whsec_` + base64 of 24 random bytes. @internal */
export const generateSecret = (): string => `whsec_${crypto.randomBytes(24).toString("base64")}`

/** The SDK's rule for a secret (`Webhooks.parseSecret`: trimmed, `whsec_` optional, >= 16 bytes), then the signer. */
const signerOf = (secret: string): { readonly secret: string; readonly signer: Webhook } => {
  const parsed = SdkWebhooks.parseSecret(secret)
  if (parsed._tag === "Left") throw new InvalidEndpoint(parsed.left)
  const valid = Redacted.value(parsed.right)
  return { secret: valid, signer: new Webhook(valid) }
}

/** The endpoint's filter: every type when absent or empty (as Svix's `filterTypes`), an unknown type refused. */
const filterOf = (events: ReadonlyArray<unknown> | undefined): ReadonlyArray<WebhookEventType> => {
  if (events === undefined) return webhookEventTypes
  if (!Array.isArray(events)) throw new InvalidEndpoint("events is a list of event types")
  const unknown = events.filter((t) => !webhookEventTypes.includes(t as WebhookEventType))
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).map((t) => typeof t === "string" ? JSON.stringify(t.slice(0, 100)) : typeof t)
    throw new InvalidEndpoint(
      `unknown webhook event type ${named.join(", ")}: the emulator sends ${webhookEventTypes.join(", ")}`
    )
  }
  return events.length === 0 ? webhookEventTypes : webhookEventTypes.filter((t) => events.includes(t))
}

const checkUrl = (url: string): void => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidEndpoint(`not a URL: ${url.slice(0, 200)}`)
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidEndpoint(`a webhook URL is http or https, not ${parsed.protocol}`)
  }
}

// compiled (exactly Schema.encode's result); a failure, which a user the store holds never gives, throws as
// `Schema.encodeSync` does
const encodeUserCompiled = Codec.encodeUnknownEither(Models.User)
const encodeUser = (user: Models.User) => {
  const encoded = encodeUserCompiled(user)
  return Either.isRight(encoded) ? encoded.right : Schema.encodeSync(Models.User)(user)
}

/** The payload Clerk sends for an event (`data` in wire form, as `GET /users/{id}` answers). @internal */
export const payloadOf = (event: DomainEvent, instanceId: string, attributes: HttpRequestAttributes) => {
  const envelope = {
    object: "event",
    timestamp: event.at,
    instance_id: instanceId,
    event_attributes: { http_request: attributes }
  }
  switch (event._tag) {
    case "UserCreated":
      return {
        type: "user.created" as const,
        userId: event.user.id,
        body: { ...envelope, data: encodeUser(event.user), type: "user.created" }
      }
    case "UserUpdated":
      return {
        type: "user.updated" as const,
        userId: event.user.id,
        body: { ...envelope, data: encodeUser(event.user), type: "user.updated" }
      }
    case "UserDeleted":
      return {
        type: "user.deleted" as const,
        userId: event.id,
        body: {
          ...envelope,
          data: {
            deleted: true,
            id: event.id,
            object: "user",
            ...(event.externalId ? { external_id: event.externalId } : {})
          },
          type: "user.deleted"
        }
      }
  }
}

/** The first `EXCERPT` characters of a body, reading no more of it than needed. */
const excerptOf = (response: Response): Effect.Effect<string> =>
  Effect.promise(async () => {
    if (response.body === null) return ""
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let text = ""
    try {
      while (text.length < EXCERPT) {
        const chunk = await reader.read()
        if (chunk.done) break
        text += decoder.decode(chunk.value, { stream: true })
      }
    } catch {
      // a body that breaks off: keep what arrived
    } finally {
      void reader.cancel().catch(() => undefined)
    }
    return text.slice(0, EXCERPT)
  })

const describeError = (error: unknown): string => {
  const cause = error instanceof Error ? error.cause : undefined
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined
  const message = error instanceof Error ? error.message : String(error)
  return (code === undefined ? message : `${message} (${code})`).slice(0, EXCERPT)
}

/** POSTs a message: over the network for a URL (no redirect followed: a 3xx is a failure), or to the handler. */
const post = (target: Target, headers: Record<string, string>, body: string): Effect.Effect<Response, unknown> =>
  target._tag === "Handler"
    ? Effect.suspend(() => {
      try {
        return target.send(new Request("http://webhooks.emulator.local/", { method: "POST", headers, body }))
      } catch (error) {
        return Effect.fail(error)
      }
    }).pipe(Effect.catchAllDefect(Effect.fail))
    : Effect.tryPromise({
      try: (signal) => fetch(target.url, { method: "POST", headers, body, redirect: "manual", signal }),
      catch: (error) => error
    })

interface Runner {
  readonly queue: Queue.Queue<{ readonly message: Message; readonly record: DeliveryRecord }>
  readonly scope: Scope.CloseableScope
}

interface Endpoint extends EndpointInfo {
  readonly target: Target
  readonly signer: Webhook
}

/** @internal */
export interface WebhooksOptions {
  /** The emulator's time (its clock plus its offset), in ms: the schedule runs on it. */
  readonly now: Effect.Effect<number>
  /** The time an attempt is signed with (`svix-timestamp`), in ms: see `ClerkEmulator.Options.webhookTimestamps`. */
  readonly signingTime: Effect.Effect<number>
  readonly instanceId: string
  /** The request being handled when an event is recorded (read synchronously by the listener). */
  readonly requestAttributes: () => HttpRequestAttributes
}

/**
 * The emulator's clock for deliveries (a wait that `timeMoved` wakes to look again) and the attempts themselves.
 */
const makeDelivery = (now: Effect.Effect<number>, signingTime: Effect.Effect<number>) => {
  let moved = Deferred.unsafeMake<undefined>(FiberId.none)

  /** Sleeps until the emulator's time reaches `dueAt`, waking early to look again when the time is moved. */
  const waitUntil = (dueAt: number): Effect.Effect<void> =>
    Effect.suspend(() => {
      const signal = moved
      return Effect.flatMap(now, (t) =>
        t >= dueAt
          ? Effect.void
          : Effect.raceFirst(Effect.sleep(dueAt - t), Deferred.await(signal)).pipe(
            Effect.zipRight(waitUntil(dueAt))
          ))
    })

  /** One attempt: signed at `signingTime` when sent; 2xx is success. */
  const attempt = (endpoint: Endpoint, message: Message, record: DeliveryRecord) =>
    Effect.gen(function*() {
      const at = yield* now
      const seconds = Math.floor((yield* signingTime) / 1000)
      const headers = {
        "content-type": "application/json",
        "user-agent": "Svix-Webhooks/1.0 (clerk-emulator)",
        "svix-id": message.id,
        "svix-timestamp": String(seconds),
        "svix-signature": endpoint.signer.sign(message.id, new Date(seconds * 1000), message.body)
      }
      const outcome = yield* post(endpoint.target, headers, message.body).pipe(
        Effect.flatMap((response) =>
          Effect.map(excerptOf(response), (text) => ({ status: response.status, error: null, response: text }))
        ),
        Effect.catchAll((error) => Effect.succeed({ status: null, error: describeError(error), response: "" })),
        Effect.raceFirst(
          Effect.as(waitUntil(at + attemptTimeoutMs), { status: null, error: "timeout", response: "" })
        )
      )
      record.attempts.push({ at, ...outcome })
      const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300
      if (ok) record.status = "succeeded"
      return ok
    })

  /** The retries of a message whose first attempt failed, on Svix's schedule. */
  const retry = (endpoint: Endpoint, message: Message, record: DeliveryRecord) =>
    Effect.gen(function*() {
      for (const wait of retrySchedule) {
        const dueAt = (yield* now) + wait
        record.nextAttemptAt = dueAt
        yield* waitUntil(dueAt)
        record.nextAttemptAt = null
        if (yield* attempt(endpoint, message, record)) return
      }
      record.status = "failed"
    })

  const timeMoved = () => {
    const signal = moved
    moved = Deferred.unsafeMake<undefined>(FiberId.none)
    Deferred.unsafeDone(signal, Exit.succeed(undefined))
  }

  return { attempt, retry, timeMoved }
}

/**
 * Webhook endpoints and delivery, forked in the current scope (closing it stops every delivery).
 *
 * @internal
 */
export const makeWebhooks = (options: WebhooksOptions): Effect.Effect<Webhooks, never, Scope.Scope> =>
  Effect.gen(function*() {
    const parent = yield* Effect.scope
    const endpoints = new Map<string, Endpoint>()
    const runners = new Map<string, Runner>()
    let log: Array<DeliveryRecord> = []
    const { attempt, retry, timeMoved } = makeDelivery(options.now, options.signingTime)

    const startRunner = (endpoint: Endpoint) =>
      Effect.gen(function*() {
        const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential)
        const queue = yield* Queue.unbounded<{ readonly message: Message; readonly record: DeliveryRecord }>()
        yield* Scope.addFinalizer(scope, Queue.shutdown(queue))
        const first = Effect.flatMap(Queue.take(queue), ({ message, record }) =>
          Effect.flatMap(
            attempt(endpoint, message, record),
            (ok) => ok ? Effect.void : Effect.asVoid(Effect.forkIn(retry(endpoint, message, record), scope))
          ))
        yield* Effect.forkIn(Effect.forever(first), scope)
        return { queue, scope }
      })

    const stopRunner = (id: string) =>
      Effect.suspend(() => {
        const runner = runners.get(id)
        runners.delete(id)
        return runner === undefined ? Effect.void : Scope.close(runner.scope, Exit.void)
      })

    const listener = (event: DomainEvent) => {
      if (endpoints.size === 0) return
      const payload = payloadOf(event, options.instanceId, options.requestAttributes())
      const message: Message = {
        id: makeId("msg"),
        type: payload.type,
        userId: payload.userId,
        body: JSON.stringify(payload.body)
      }
      for (const endpoint of endpoints.values()) {
        if (!endpoint.events.includes(message.type)) continue
        const record: DeliveryRecord = {
          messageId: message.id,
          endpointId: endpoint.id,
          eventType: message.type,
          userId: message.userId,
          status: "pending",
          attempts: [],
          nextAttemptAt: null
        }
        log.push(record)
        if (log.length >= LOG_CAPACITY * 2) log = log.slice(log.length - LOG_CAPACITY)
        runners.get(endpoint.id)?.queue.unsafeOffer({ message, record })
      }
    }

    const infoOf = (e: Endpoint): EndpointInfo => ({ id: e.id, url: e.url, events: e.events, secret: e.secret })

    const webhooks: Webhooks = {
      listener,
      add: (input) =>
        Effect.gen(function*() {
          const { events, secret, signer } = yield* Effect.try({
            try: () => {
              if (input.target._tag === "Url") checkUrl(input.target.url)
              return { events: filterOf(input.events), ...signerOf(input.secret ?? generateSecret()) }
            },
            catch: (error) => error instanceof InvalidEndpoint ? error : new InvalidEndpoint(String(error))
          })
          const endpoint: Endpoint = {
            id: makeId("ep"),
            url: input.target._tag === "Url" ? input.target.url : undefined,
            events,
            secret: Redacted.make(secret),
            target: input.target,
            signer
          }
          runners.set(endpoint.id, yield* startRunner(endpoint))
          endpoints.set(endpoint.id, endpoint)
          return infoOf(endpoint)
        }),
      remove: (id) =>
        Effect.suspend(() => {
          const endpoint = endpoints.get(id)
          if (endpoint === undefined) return Effect.succeed(false)
          endpoints.delete(id)
          for (const record of log) {
            if (record.endpointId === id && record.status === "pending") {
              record.status = "failed"
              record.nextAttemptAt = null
            }
          }
          return Effect.as(stopRunner(id), true)
        }),
      endpoints: () => [...endpoints.values()].map(infoOf),
      deliveries: () =>
        log.slice(Math.max(0, log.length - LOG_CAPACITY)).map((r) => ({ ...r, attempts: [...r.attempts] })),
      reset: Effect.gen(function*() {
        log = []
        for (const endpoint of endpoints.values()) {
          yield* stopRunner(endpoint.id)
          runners.set(endpoint.id, yield* startRunner(endpoint))
        }
      }),
      timeMoved
    }
    return webhooks
  })
