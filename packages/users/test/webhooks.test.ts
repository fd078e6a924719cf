/**
 * Webhooks: verification against deliveries signed by the reference library (`standardwebhooks`), the typed events,
 * the HttpApp's answers, the secret kept out of everything printable, and interop with `@clerk/backend/webhooks`.
 */
import { verifyWebhook } from "@clerk/backend/webhooks"
import { ClerkTest } from "@effect-clerk/testing"
import { Models, Users, Webhooks } from "@effect-clerk/users"
import { NodeHttpServer } from "@effect/platform-node"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { Webhook } from "standardwebhooks"

const KEY_TEXT = "effect-clerk webhook test key 0123"
const SECRET = `whsec_${Buffer.from(KEY_TEXT).toString("base64")}`
const OTHER_SECRET = `whsec_${Buffer.from("another endpoint's signing key 4567").toString("base64")}`
const NOW_MS = 1_764_400_000_000
const NOW_S = NOW_MS / 1000

const WebhooksTest = Webhooks.layer({ secret: Redacted.make(SECRET) })

/** The three headers Svix sends, signed by the reference library. */
const signed = (body: string, options?: { readonly id?: string; readonly at?: number; readonly secret?: string }) => {
  const id = options?.id ?? "msg_2xTestMessage"
  const at = options?.at ?? NOW_S
  return {
    "svix-id": id,
    "svix-timestamp": String(at),
    "svix-signature": new Webhook(options?.secret ?? SECRET).sign(id, new Date(at * 1000), body)
  }
}

/** A user as Clerk's webhook payloads carry it (snake_case), with two fields real payloads have and the spec lacks. */
const wireUser = {
  id: "user_2xAda",
  object: "user",
  external_id: null,
  primary_email_address_id: null,
  primary_phone_number_id: null,
  primary_web3_wallet_id: null,
  username: "ada",
  first_name: "Ada",
  last_name: "Lovelace",
  image_url: "https://img.clerk.com/ada",
  has_image: false,
  public_metadata: { plan: "pro" },
  private_metadata: {},
  unsafe_metadata: {},
  email_addresses: [],
  phone_numbers: [],
  web3_wallets: [],
  passkeys: [],
  password_enabled: false,
  two_factor_enabled: false,
  totp_enabled: false,
  backup_code_enabled: false,
  mfa_enabled_at: null,
  mfa_disabled_at: null,
  external_accounts: [],
  saml_accounts: [],
  enterprise_accounts: [],
  last_sign_in_at: null,
  banned: false,
  locked: false,
  lockout_expires_in_seconds: null,
  verification_attempts_remaining: null,
  updated_at: NOW_MS,
  created_at: NOW_MS,
  delete_self_enabled: true,
  create_organization_enabled: true,
  last_active_at: null,
  legal_accepted_at: null,
  birthday: "",
  gender: ""
}

const payload = (type: string, data: unknown) =>
  JSON.stringify({
    data,
    event_attributes: { http_request: { client_ip: "192.0.2.10", user_agent: "Mozilla/5.0 (test)" } },
    instance_id: "ins_2xTest",
    object: "event",
    timestamp: NOW_MS,
    type
  })

/** Runs with the verifier and `Clock` at NOW. */
const atNow = <A, E>(effect: Effect.Effect<A, E, Webhooks.ClerkWebhooks>) =>
  TestClock.setTime(NOW_MS).pipe(Effect.zipRight(effect), Effect.provide(WebhooksTest))

describe("Webhooks.verify", () => {
  it.effect("user.created: verified, decoded to the same User model, envelope in camelCase", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const message = yield* Webhooks.verify(body, signed(body))
      expect(message.id).toBe("msg_2xTestMessage")
      expect(DateTime.toEpochMillis(message.timestamp)).toBe(NOW_MS)
      const event = message.event
      if (event._tag !== "UserCreated") return expect.unreachable()
      expect(event.data).toEqual(Schema.decodeUnknownSync(Models.User)(wireUser))
      expect(event.data.publicMetadata).toEqual({ plan: "pro" })
      expect(event).toMatchObject({
        type: "user.created",
        object: "event",
        timestamp: NOW_MS,
        instanceId: "ins_2xTest",
        eventAttributes: { httpRequest: { clientIp: "192.0.2.10", userAgent: "Mozilla/5.0 (test)" } }
      })
    })))

  it.effect("user.updated carries the user; user.deleted the deleted object", () =>
    atNow(Effect.gen(function*() {
      const updatedBody = payload("user.updated", { ...wireUser, banned: true })
      const updated = (yield* Webhooks.verify(updatedBody, signed(updatedBody))).event
      if (updated._tag !== "UserUpdated") return expect.unreachable()
      expect(updated.data.banned).toBe(true)

      const deletedBody = payload("user.deleted", {
        deleted: true,
        id: "user_2xAda",
        object: "user",
        external_id: "ext-7"
      })
      const deleted = (yield* Webhooks.verify(deletedBody, signed(deletedBody))).event
      expect(deleted).toMatchObject({
        _tag: "UserDeleted",
        type: "user.deleted",
        data: { id: "user_2xAda", object: "user", deleted: true, externalId: "ext-7" }
      })
    })))

  it.effect("the user in a user.created is the User Users.get returns (a user made by the emulator)", () =>
    Effect.gen(function*() {
      const created = yield* Users.create({
        emailAddress: ["grace@example.com"],
        phoneNumber: ["+15555550123"],
        firstName: "Grace",
        password: "a long enough password",
        publicMetadata: { team: "compilers" }
      })
      const fetched = yield* Users.get(created.id)
      const body = payload("user.created", yield* Schema.encode(Models.User)(fetched))
      yield* TestClock.setTime(NOW_MS)
      const { event } = yield* Webhooks.verify(body, signed(body))
      if (event._tag !== "UserCreated") return expect.unreachable()
      expect(event.data).toEqual(fetched)
    }).pipe(Effect.provide(Layer.merge(ClerkTest.layer, WebhooksTest))))

  it.effect("encoding a decoded event gives back Clerk's wire form (what a sender of these events needs)", () =>
    atNow(Effect.gen(function*() {
      const { birthday: _b, gender: _g, ...specUser } = wireUser
      for (
        const [type, data] of [
          ["user.created", specUser],
          ["user.deleted", { deleted: true, id: "user_2xAda", object: "user" }],
          ["session.created", { id: "sess_1", status: "active" }]
        ] as const
      ) {
        const body = payload(type, data)
        const { event } = yield* Webhooks.verify(body, signed(body))
        expect(yield* Schema.encode(Webhooks.WebhookEvent)(event)).toEqual(JSON.parse(body))
      }
    })))

  it.effect("any other event type is an OtherEvent with its type and raw data", () =>
    atNow(Effect.gen(function*() {
      for (
        const [type, data] of [
          ["session.created", { id: "sess_1", user_id: "user_2xAda", status: "active" }],
          ["organization.updated", { id: "org_1", name: "Acme" }],
          ["user.something_clerk_adds_later", { id: "user_2xAda" }],
          ["email.created", null]
        ] as const
      ) {
        const body = payload(type, data)
        const { event } = yield* Webhooks.verify(body, signed(body))
        expect(event).toMatchObject({ _tag: "OtherEvent", type, data, instanceId: "ins_2xTest" })
      }
    })))

  it.effect("a body signed as bytes verifies too (Buffer, Uint8Array)", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", { ...wireUser, first_name: "Ådä ✓" })
      const bytes = new TextEncoder().encode(body)
      const { event } = yield* Webhooks.verify(bytes, signed(body))
      expect(event._tag === "UserCreated" && event.data.firstName).toBe("Ådä ✓")
      expect((yield* Webhooks.verify(Buffer.from(body), signed(body))).event._tag).toBe("UserCreated")
    })))

  it.effect("tampered body, id or timestamp, and a wrong secret: WebhookInvalidSignature", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      const tampered = body.replace("\"Ada\"", "\"Eve\"")
      expect(tampered).not.toBe(body)
      const refusals = [
        yield* Effect.flip(Webhooks.verify(tampered, headers)),
        yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-id": "msg_other" })),
        yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-timestamp": String(NOW_S - 1) })),
        yield* Effect.flip(Webhooks.verify(body, signed(body, { secret: OTHER_SECRET })))
      ]
      for (const error of refusals) expect(error._tag).toBe("WebhookInvalidSignature")
    })))

  it.effect("several signatures: valid when one v1 matches, whatever the others are", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      const valid = headers["svix-signature"]
      const wrong = signed(body, { secret: OTHER_SECRET })["svix-signature"]
      for (const list of [`${wrong} ${valid}`, `v1,bogus v2,${valid.slice(3)} ${valid}`, `garbage ${valid} v1,`]) {
        expect((yield* Webhooks.verify(body, { ...headers, "svix-signature": list })).id).toBe("msg_2xTestMessage")
      }
      for (const list of [wrong, `v2,${valid.slice(3)}`, valid.slice(3), "v1, ", `v1,${valid.slice(3)}x`]) {
        const error = yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-signature": list }))
        expect(error._tag).toBe("WebhookInvalidSignature")
      }
    })))

  it.effect("the timestamp must be within 5 minutes of Clock (TestClock drives it)", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      for (const at of [NOW_S - 300, NOW_S + 300, NOW_S - 299]) {
        expect((yield* Webhooks.verify(body, signed(body, { at }))).event._tag).toBe("UserCreated")
      }
      const old = yield* Effect.flip(Webhooks.verify(body, signed(body, { at: NOW_S - 301 })))
      expect(old).toMatchObject({ _tag: "WebhookTimestampOutOfTolerance", reason: "TooOld", now: NOW_S })
      const future = yield* Effect.flip(Webhooks.verify(body, signed(body, { at: NOW_S + 301 })))
      expect(future).toMatchObject({ _tag: "WebhookTimestampOutOfTolerance", reason: "TooNew" })

      const headers = signed(body)
      yield* TestClock.adjust("5 minutes")
      expect((yield* Webhooks.verify(body, headers)).id).toBe("msg_2xTestMessage")
      yield* TestClock.adjust("1 second")
      const replay = yield* Effect.flip(Webhooks.verify(body, headers))
      expect(replay).toMatchObject({ _tag: "WebhookTimestampOutOfTolerance", reason: "TooOld", timestamp: NOW_S })
    })))

  it.effect("missing, empty and malformed headers: WebhookInvalidHeader naming the header", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      const names = ["svix-id", "svix-timestamp", "svix-signature"] as const
      for (const name of names) {
        const { [name]: _dropped, ...rest } = headers
        expect(yield* Effect.flip(Webhooks.verify(body, rest))).toMatchObject({
          _tag: "WebhookInvalidHeader",
          header: name,
          reason: "Missing"
        })
        expect(yield* Effect.flip(Webhooks.verify(body, { ...headers, [name]: "  " }))).toMatchObject({
          header: name,
          reason: "Missing"
        })
        for (const value of [42, ["a", "b"], { v: 1 }, true]) {
          expect(yield* Effect.flip(Webhooks.verify(body, { ...headers, [name]: value }))).toMatchObject({
            _tag: "WebhookInvalidHeader",
            header: name,
            reason: "Malformed"
          })
        }
      }
      for (const timestamp of ["abc", "1.5", "-1", "1e9", "0x10", "1234567890123"]) {
        expect(yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-timestamp": timestamp }))).toMatchObject({
          header: "svix-timestamp",
          reason: "Malformed"
        })
      }
      expect((yield* Effect.flip(Webhooks.verify(body, {})))._tag).toBe("WebhookInvalidHeader")
    })))

  it.effect("headers from a web Headers, mixed-case records and padded values", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      expect((yield* Webhooks.verify(body, new Headers(headers))).id).toBe("msg_2xTestMessage")
      const mixed = {
        "Svix-Id": headers["svix-id"],
        "SVIX-TIMESTAMP": ` ${headers["svix-timestamp"]} `,
        "Svix-Signature": headers["svix-signature"]
      }
      expect((yield* Webhooks.verify(body, mixed)).id).toBe("msg_2xTestMessage")
    })))

  it.effect("a signed body that is not an event: WebhookInvalidPayload (NotJson, InvalidEvent)", () =>
    atNow(Effect.gen(function*() {
      const cases = [
        ["not json at all", "NotJson"],
        ["", "NotJson"],
        ["{\"type\":", "NotJson"],
        ["[1, 2, 3]", "InvalidEvent"],
        ["null", "InvalidEvent"],
        [JSON.stringify({ type: "user.created", data: wireUser }), "InvalidEvent"],
        [payload("user.created", { ...wireUser, id: 42 }), "InvalidEvent"],
        [payload("user.deleted", { deleted: true, object: "user" }), "InvalidEvent"],
        [payload("user.updated", "not a user"), "InvalidEvent"],
        [JSON.stringify({ ...JSON.parse(payload("session.created", {})), object: "not-event" }), "InvalidEvent"]
      ] as const
      for (const [body, reason] of cases) {
        const error = yield* Effect.flip(Webhooks.verify(body, signed(body)))
        expect(error).toMatchObject({ _tag: "WebhookInvalidPayload", reason, webhookId: "msg_2xTestMessage" })
      }
      const invalid = yield* Effect.flip(Webhooks.verify(cases[6][0], signed(cases[6][0])))
      expect(invalid.message).toBe("data.id: Expected string, actual 42")
    })))

  it.effect("what a JavaScript caller may pass as the body or the headers fails typed", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const verifyUntyped = Webhooks.verify as (body: unknown, headers: unknown) => ReturnType<typeof Webhooks.verify>
      for (const junk of [42, null, undefined, { text: body }]) {
        const error = yield* Effect.flip(verifyUntyped(junk, signed(body)))
        expect(error).toMatchObject({ _tag: "WebhookInvalidPayload", reason: "NotText" })
      }
      for (const junk of [null, undefined, "svix-id: x", 42]) {
        expect((yield* Effect.flip(verifyUntyped(body, junk)))._tag).toBe("WebhookInvalidHeader")
      }
      const hostile = Object.defineProperty({}, "svix-id", {
        enumerable: true,
        get: () => {
          throw new Error("boom")
        }
      })
      expect(yield* Effect.flip(verifyUntyped(body, hostile))).toMatchObject({ header: "svix-id", reason: "Malformed" })
    })))

  it.effect.prop(
    "never dies, whatever the body and headers",
    [FastCheck.uint8Array({ maxLength: 512 }), FastCheck.string(), FastCheck.string(), FastCheck.string()],
    ([bytes, id, timestamp, signature]) =>
      atNow(Effect.gen(function*() {
        for (const body of [bytes, new TextDecoder().decode(bytes)]) {
          const headers = { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature }
          for (const candidate of [headers, { ...signed(typeof body === "string" ? body : ""), "svix-id": id }]) {
            const exit = yield* Effect.exit(Webhooks.verify(body, candidate))
            if (Exit.isFailure(exit)) expect(Cause.isFailType(exit.cause)).toBe(true)
          }
        }
      })),
    { fastCheck: { numRuns: 100 } }
  )
})

describe("revoked proxies and throwing traps, in every argument of every Webhooks function", () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    return proxy
  }
  const trapping = () =>
    new Proxy({}, {
      getPrototypeOf: () => {
        throw new Error("trap")
      },
      get: () => {
        throw new Error("trap")
      },
      has: () => {
        throw new Error("trap")
      },
      ownKeys: () => {
        throw new Error("trap")
      }
    })
  const hostiles = [["a revoked proxy", revoked], ["a proxy whose traps throw", trapping]] as const
  const untyped = <F>(f: F) => f as unknown as (...args: ReadonlyArray<unknown>) => never

  for (const [what, hostile] of hostiles) {
    it.effect(`verify: ${what} as the body, as the headers, or as a header's value fails typed`, () =>
      atNow(Effect.gen(function*() {
        const body = payload("user.created", wireUser)
        const verify = untyped(Webhooks.verify) as (
          body: unknown,
          headers: unknown
        ) => ReturnType<typeof Webhooks.verify>
        const asBody = yield* Effect.exit(verify(hostile(), signed(body)))
        expect(Exit.isFailure(asBody) && Cause.isFailType(asBody.cause)).toBe(true)
        expect(yield* Effect.flip(verify(hostile(), signed(body)))).toMatchObject({
          _tag: "WebhookInvalidPayload",
          reason: "NotText"
        })
        expect((yield* Effect.flip(verify(body, hostile())))._tag).toBe("WebhookInvalidHeader")
        expect((yield* Effect.flip(verify(body, { ...signed(body), "svix-id": hostile() })))._tag).toBe(
          "WebhookInvalidHeader"
        )
      })))

    it.effect(`make, layer, layerConfig and parseSecret: ${what} as the options or the secret is a ConfigError`, () =>
      Effect.gen(function*() {
        const make = untyped(Webhooks.make) as (options: unknown) => ReturnType<typeof Webhooks.make>
        const layer = untyped(Webhooks.layer) as (options: unknown) => ReturnType<typeof Webhooks.layer>
        const layerConfig = untyped(Webhooks.layerConfig) as (config: unknown) => ReturnType<typeof Webhooks.layer>
        const parseSecret = untyped(Webhooks.parseSecret) as (
          secret: unknown
        ) => ReturnType<typeof Webhooks.parseSecret>
        for (const options of [hostile(), { secret: hostile() }]) {
          expect((yield* Effect.flip(make(options)))._tag).toBe("ConfigError")
          expect((yield* Effect.flip(Layer.build(layer(options)).pipe(Effect.scoped)))._tag).toBe("ConfigError")
          expect((yield* Effect.flip(Layer.build(layerConfig(options)).pipe(Effect.scoped)))._tag).toBe("ConfigError")
        }
        expect(Either.isLeft(parseSecret(hostile()))).toBe(true)
      }))

    it(`httpApp: ${what} as the options answers 500 (logged), as the handler 500, never a defect`, async () => {
      const httpApp = untyped(Webhooks.httpApp) as (
        handler: unknown,
        options?: unknown
      ) => ReturnType<typeof Webhooks.httpApp<never, never>>
      const now = Math.floor(Date.now() / 1000)
      const body = payload("user.created", wireUser)
      const logs: Array<unknown> = []
      const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(message)))
      for (const app of [httpApp(() => Effect.void, hostile()), httpApp(hostile()), httpApp(() => hostile())]) {
        const handler = HttpApp.toWebHandler(app.pipe(Effect.provide(WebhooksTest), Effect.provide(logger)))
        const answer = await handler(post(body, signed(body, { at: now })))
        expect(answer.status).toBe(500)
      }
      expect(String(logs.flat()[0])).toContain("Webhooks.httpApp: the options could not be read")
    })
  }

  it("httpApp: a maxBodySize that is not a positive integer answers 500 naming it", async () => {
    const now = Math.floor(Date.now() / 1000)
    const body = payload("user.created", wireUser)
    for (const maxBodySize of [-1, 0, 1.5, Number.NaN, "1024", 10n]) {
      const logs: Array<unknown> = []
      const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(message)))
      // @ts-expect-error: the point is a value of the wrong runtime type
      const app = Webhooks.httpApp(() => Effect.void, { maxBodySize })
      const handler = HttpApp.toWebHandler(app.pipe(Effect.provide(WebhooksTest), Effect.provide(logger)))
      expect((await handler(post(body, signed(body, { at: now })))).status).toBe(500)
      expect(String(logs.flat()[0])).toContain("maxBodySize must be a positive integer")
    }
  })
})

describe("the signing secret", () => {
  const secretParts = [SECRET, SECRET.slice("whsec_".length), KEY_TEXT]

  const render = (value: unknown): Array<string> => {
    const out = [String(value), Inspectable.format(value), JSON.stringify(value) ?? ""]
    if (value instanceof Error && value.stack) out.push(value.stack)
    return out
  }

  it.effect("appears in no error, cause, log, or printed service", () =>
    Effect.gen(function*() {
      const logs: Array<string> = []
      const logger = Logger.make(({ message, cause }) => {
        logs.push(Inspectable.format(message), Cause.pretty(cause))
      })
      yield* TestClock.setTime(NOW_MS)
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      const errors: Array<unknown> = [
        yield* Effect.flip(Webhooks.verify(body.replace("Ada", "Eve"), headers)),
        yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-id": "" })),
        yield* Effect.flip(Webhooks.verify(body, signed(body, { at: 1 }))),
        yield* Effect.flip(Webhooks.verify("nope", signed("nope"))),
        yield* Effect.flip(Webhooks.verify(body, signed(body, { secret: OTHER_SECRET }))),
        yield* Effect.flip(Layer.build(Webhooks.layer({ secret: Redacted.make(`${SECRET}!`) })).pipe(Effect.scoped)),
        yield* Effect.flip(
          Layer.build(Webhooks.layerConfig()).pipe(
            Effect.scoped,
            Effect.withConfigProvider(ConfigProvider.fromJson({ CLERK_WEBHOOK_SIGNING_SECRET: `${SECRET}%` }))
          )
        )
      ]
      const service = yield* Webhooks.ClerkWebhooks
      const app = Webhooks.httpApp(() => Effect.fail(new Error("handler failed"))).pipe(
        Effect.provide(WebhooksTest),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      const handler = HttpApp.toWebHandler(app)
      const now = Math.floor(Date.now() / 1000)
      yield* Effect.promise(() => handler(post(body, signed(body, { at: now }))))
      yield* Effect.promise(() => handler(post(body, signed(body, { at: now, secret: OTHER_SECRET }))))
      expect(logs.length).toBeGreaterThanOrEqual(2)

      const texts = [
        ...errors.flatMap(render),
        ...errors.map((e) => Cause.pretty(Cause.fail(e))),
        ...render(service),
        ...render(Redacted.make(SECRET)),
        ...logs
      ]
      for (const text of texts) {
        for (const part of secretParts) expect(text).not.toContain(part)
      }
      expect(errors.map((e) => (e as { readonly _tag: string })._tag)).toEqual([
        "WebhookInvalidSignature",
        "WebhookInvalidHeader",
        "WebhookTimestampOutOfTolerance",
        "WebhookInvalidPayload",
        "WebhookInvalidSignature",
        "ConfigError",
        "ConfigError"
      ])
    }).pipe(Effect.provide(WebhooksTest)))
})

describe("Webhooks.layerConfig", () => {
  const build = (map: Record<string, string>, layer = Webhooks.layerConfig()) =>
    Layer.build(layer).pipe(
      Effect.scoped,
      Effect.withConfigProvider(ConfigProvider.fromJson(map)),
      Effect.exit
    )

  it.effect("reads CLERK_WEBHOOK_SIGNING_SECRET; refuses a missing or malformed one with a ConfigError", () =>
    Effect.gen(function*() {
      expect(Exit.isSuccess(yield* build({ CLERK_WEBHOOK_SIGNING_SECRET: SECRET }))).toBe(true)
      for (const map of [{}, { CLERK_WEBHOOK_SIGNING_SECRET: "" }, { CLERK_WEBHOOK_SIGNING_SECRET: "whsec_***" }]) {
        const exit = yield* build(map)
        if (Exit.isSuccess(exit)) return expect.unreachable()
        expect(Cause.pretty(exit.cause)).toContain("CLERK_WEBHOOK_SIGNING_SECRET")
      }
    }))

  it.effect("takes the secret from another config; a secret without the whsec_ prefix works too", () =>
    Effect.gen(function*() {
      const layer = Webhooks.layerConfig({ secret: Config.redacted("MY_SECRET") })
      const exit = yield* build({ MY_SECRET: SECRET.slice("whsec_".length) }, layer)
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(Exit.isFailure(yield* build({ CLERK_WEBHOOK_SIGNING_SECRET: SECRET }, layer))).toBe(true)
    }))
})

const post = (body: BodyInit, headers: Record<string, string>) =>
  new Request("http://localhost/webhooks/clerk", { method: "POST", body, headers })

describe("Webhooks.httpApp", () => {
  const quietHandler = HttpApp.toWebHandler(
    Webhooks.httpApp(() => Effect.void).pipe(Effect.provide(WebhooksTest), Logger.withMinimumLogLevel(LogLevel.None))
  )

  it("answers 204 after the handler ran with the verified message; 401, 400, 405 and 413 otherwise", async () => {
    const seen: Array<Webhooks.Message> = []
    const app = Webhooks.httpApp((message) => Effect.sync(() => seen.push(message)), { maxBodySize: 64 * 1024 })
    const handler = HttpApp.toWebHandler(app.pipe(Effect.provide(WebhooksTest)))
    const now = Math.floor(Date.now() / 1000)
    const body = payload("user.created", wireUser)

    const ok = await handler(post(body, signed(body, { at: now })))
    expect(ok.status).toBe(204)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.id).toBe("msg_2xTestMessage")
    expect(seen[0]!.event._tag).toBe("UserCreated")

    const answers = await Promise.all([
      handler(post(body.replace("Ada", "Eve"), signed(body, { at: now }))),
      handler(post(body, signed(body, { at: now, secret: OTHER_SECRET }))),
      handler(post(body, { "svix-id": "msg_1", "svix-timestamp": String(now) })),
      handler(post(body, signed(body, { at: now - 600 }))),
      handler(post("not json", signed("not json", { at: now }))),
      handler(post(payload("user.created", { id: 1 }), signed(payload("user.created", { id: 1 }), { at: now }))),
      handler(new Request("http://localhost/webhooks/clerk", { method: "GET" })),
      handler(post("x".repeat(64 * 1024 + 1), signed("x", { at: now })))
    ])
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 400, 400, 405, 413])
    expect(await answers[0]!.text()).toContain("WebhookInvalidSignature")
    expect(await answers[2]!.text()).toContain("svix-signature is missing")
    expect(seen).toHaveLength(1)
  })

  it("answers 500 when the handler fails or dies, so Svix retries", async () => {
    const now = Math.floor(Date.now() / 1000)
    const body = payload("user.deleted", { deleted: true, id: "user_2xAda", object: "user" })
    const failing = HttpApp.toWebHandler(
      Webhooks.httpApp(() => Effect.fail("database down" as const)).pipe(Effect.provide(WebhooksTest))
    )
    const dying = HttpApp.toWebHandler(
      Webhooks.httpApp(() => Effect.die(new Error("bug"))).pipe(Effect.provide(WebhooksTest))
    )
    expect((await failing(post(body, signed(body, { at: now })))).status).toBe(500)
    expect((await dying(post(body, signed(body, { at: now })))).status).toBe(500)
  })

  it("the default body limit is 1 MiB, counted on the stream (no content-length needed)", async () => {
    const handler = HttpApp.toWebHandler(Webhooks.httpApp(() => Effect.void).pipe(Effect.provide(WebhooksTest)))
    const now = Math.floor(Date.now() / 1000)
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      }
    })
    const init = { method: "POST", body: stream, headers: signed("", { at: now }), duplex: "half" }
    const answer = await handler(new Request("http://localhost/webhooks/clerk", init))
    expect(answer.status).toBe(413)
    expect(sent).toBeLessThan(2 * 1024 * 1024)
  })

  it.effect.prop(
    "answers no 5xx to anything a sender sends when the handler succeeds",
    [
      FastCheck.uint8Array({ maxLength: 256 }),
      FastCheck.stringMatching(/^[ -~]{0,40}$/),
      FastCheck.stringMatching(/^[ -~]{0,20}$/),
      FastCheck.stringMatching(/^[ -~]{0,80}$/),
      FastCheck.constantFrom("POST", "PUT", "GET", "DELETE"),
      FastCheck.boolean()
    ],
    ([bytes, id, timestamp, signature, method, signIt]) =>
      Effect.gen(function*() {
        const text = new TextDecoder().decode(bytes)
        const headers = signIt && id.trim() !== ""
          ? signed(text, { id: id.trim(), at: Math.floor(Date.now() / 1000) })
          : { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature }
        const body = method === "GET" ? null : new Blob([new Uint8Array(bytes)])
        const request = new Request("http://localhost/webhooks/clerk", { method, body, headers })
        const answer = yield* Effect.promise(() => quietHandler(request))
        expect([204, 400, 401, 405, 413]).toContain(answer.status)
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it("mounts in an HttpRouter, and a handler keyed on svix-id processes a redelivery once", async () => {
    const processed: Array<string> = []
    const seen = new Set<string>()
    // idempotency: remember the message ids already handled (in an app: a unique key in the same transaction)
    const handle = ({ id, event }: Webhooks.Message) =>
      Effect.sync(() => {
        if (seen.has(id)) return
        seen.add(id)
        processed.push(`${event.type} ${event._tag === "OtherEvent" ? "" : event.data.id}`)
      })
    const router = HttpRouter.empty.pipe(HttpRouter.post("/webhooks/clerk", Webhooks.httpApp(handle)))
    const handler = HttpApp.toWebHandler(router.pipe(Effect.provide(WebhooksTest)))
    const now = Math.floor(Date.now() / 1000)
    const body = payload("user.updated", wireUser)
    const headers = signed(body, { at: now, id: "msg_redelivered" })
    const statuses = [
      (await handler(post(body, headers))).status,
      (await handler(post(body, headers))).status,
      (await handler(new Request("http://localhost/elsewhere", { method: "POST", body, headers }))).status
    ]
    expect(statuses).toEqual([204, 204, 404])
    expect(processed).toEqual(["user.updated user_2xAda"])
  })

  it("types: the handler's requirements flow into the app's, its errors never do", () => {
    class Db extends Context.Tag("Db")<Db, { readonly save: (id: string) => Effect.Effect<void, "DbDown"> }>() {}
    const app = Webhooks.httpApp(({ id }) => Effect.flatMap(Db, (db) => db.save(id)))
    expectTypeOf(app).toEqualTypeOf<HttpApp.Default<never, Webhooks.ClerkWebhooks | Db>>()
  })
})

describe("Webhooks.httpApp on a Node server", () => {
  it.scoped("reads the body from a real socket: 204 for a signed delivery, 413 past the limit, 401 unsigned", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const router = HttpRouter.empty.pipe(
        HttpRouter.post(
          "/webhooks/clerk",
          Webhooks.httpApp(({ event }) => Effect.sync(() => seen.push(event.type)), { maxBodySize: 16 * 1024 })
        )
      )
      yield* HttpServer.serveEffect(
        router.pipe(Effect.provide(WebhooksTest), Logger.withMinimumLogLevel(LogLevel.None))
      )
      const client = yield* HttpClient.HttpClient
      const send = (body: string, headers: Record<string, string>) =>
        client.execute(
          HttpClientRequest.post("/webhooks/clerk", { headers }).pipe(
            HttpClientRequest.bodyText(body, "application/json")
          )
        )
      const body = payload("user.created", wireUser)
      yield* TestClock.setTime(NOW_MS)
      const statuses = [
        (yield* send(body, signed(body))).status,
        (yield* send(" ".repeat(16 * 1024 + 1), signed(body))).status,
        (yield* send(body, {})).status
      ]
      expect(statuses).toEqual([204, 413, 401])
      expect(seen).toEqual(["user.created"])
    }).pipe(Effect.provide(NodeHttpServer.layerTest)))
})

describe("interop with @clerk/backend/webhooks", () => {
  it.effect("verifyWebhook accepts what standardwebhooks signs, and so does Webhooks.verify; both refuse tampering", () =>
    Effect.gen(function*() {
      const now = Math.floor(Date.now() / 1000)
      yield* TestClock.setTime(now * 1000)
      const body = payload("user.created", wireUser)
      const headers = signed(body, { at: now })
      const clerks = yield* Effect.promise(() => verifyWebhook(post(body, headers), { signingSecret: SECRET }))
      const ours = yield* Webhooks.verify(body, headers)
      expect(clerks.type).toBe("user.created")
      expect(clerks.data.id).toBe("user_2xAda")
      expect(ours.event.type).toBe(clerks.type)
      expect(ours.event._tag === "UserCreated" && ours.event.data.id).toBe(clerks.data.id)
      expect(ours.event.instanceId).toBe(clerks.instance_id)

      const tampered = body.replace("Ada", "Eve")
      const clerkRefusal = yield* Effect.promise(() =>
        verifyWebhook(post(tampered, headers), { signingSecret: SECRET }).then(() => "accepted", () => "refused")
      )
      expect(clerkRefusal).toBe("refused")
      expect((yield* Effect.flip(Webhooks.verify(tampered, headers)))._tag).toBe("WebhookInvalidSignature")
    }).pipe(Effect.provide(WebhooksTest)))
})

describe("types", () => {
  it("the event union narrows by _tag; user events carry Models.User", () => {
    expectTypeOf<Webhooks.WebhookEvent["_tag"]>().toEqualTypeOf<
      "UserCreated" | "UserUpdated" | "UserDeleted" | "OtherEvent"
    >()
    expectTypeOf<Webhooks.UserCreated["data"]>().toEqualTypeOf<Models.User>()
    expectTypeOf<Webhooks.UserUpdated["data"]>().toEqualTypeOf<Models.User>()
    expectTypeOf<Webhooks.UserDeleted["data"]>().toEqualTypeOf<Webhooks.DeletedUser>()
    expectTypeOf<Webhooks.UserCreated["type"]>().toEqualTypeOf<"user.created">()
    expectTypeOf<Webhooks.OtherEvent["type"]>().toEqualTypeOf<string>()
    expectTypeOf<Webhooks.OtherEvent["data"]>().toEqualTypeOf<unknown>()
    expectTypeOf<Webhooks.WebhookEvent["instanceId"]>().toEqualTypeOf<string>()
    expectTypeOf<Webhooks.WebhookEvent["timestamp"]>().toEqualTypeOf<number>()
    expectTypeOf<Webhooks.WebhookEvent["object"]>().toEqualTypeOf<"event">()
    expectTypeOf<Extract<Webhooks.WebhookEvent, { readonly _tag: "UserDeleted" }>>().toEqualTypeOf<
      Webhooks.UserDeleted
    >()
  })

  it("verify's error channel is exactly the four webhook errors; it requires only the service", () => {
    type Verify = ReturnType<typeof Webhooks.verify>
    expectTypeOf<Effect.Effect.Error<Verify>>().toEqualTypeOf<
      | Webhooks.WebhookInvalidHeader
      | Webhooks.WebhookInvalidSignature
      | Webhooks.WebhookTimestampOutOfTolerance
      | Webhooks.WebhookInvalidPayload
    >()
    expectTypeOf<Effect.Effect.Context<Verify>>().toEqualTypeOf<Webhooks.ClerkWebhooks>()
    expectTypeOf<Effect.Effect.Success<Verify>>().toEqualTypeOf<Webhooks.Message>()
  })
})

describe("hostile but signed bodies, joined headers, and the secret rule", () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
  const inData = (depth: number) =>
    payload("user.created", { ...wireUser, public_metadata: JSON.parse("0") }).replace(
      "\"public_metadata\":0",
      `"public_metadata":{"deep":${nested(depth)}}`
    )

  it.effect("a body nested thousands deep (top level or inside data) is an InvalidEvent, never a defect", () =>
    atNow(Effect.gen(function*() {
      for (const body of [nested(3000), nested(100_000), inData(3000), inData(100_000)]) {
        const exit = yield* Effect.exit(Webhooks.verify(body, signed(body)))
        if (Exit.isSuccess(exit)) return expect.unreachable()
        expect(Cause.isDie(exit.cause)).toBe(false)
        const error = yield* Effect.flip(Webhooks.verify(body, signed(body)))
        expect(error).toMatchObject({ _tag: "WebhookInvalidPayload", reason: "InvalidEvent" })
        expect(error.message).toBe("the body nests deeper than 256 levels")
      }
      // brackets inside strings do not count; a moderately nested metadata still decodes
      const body = payload("user.created", {
        ...wireUser,
        public_metadata: { text: "[".repeat(5000), deep: JSON.parse(nested(50)) }
      })
      expect((yield* Webhooks.verify(body, signed(body))).event._tag).toBe("UserCreated")
    })))

  it("httpApp answers 400 (with the reason) to a signed body nested 3000 deep", async () => {
    const handler = HttpApp.toWebHandler(
      Webhooks.httpApp(() => Effect.void).pipe(Effect.provide(WebhooksTest), Logger.withMinimumLogLevel(LogLevel.None))
    )
    const now = Math.floor(Date.now() / 1000)
    for (const body of [nested(3000), inData(3000)]) {
      const response = await handler(post(body, signed(body, { at: now })))
      expect(response.status).toBe(400)
      expect(await response.text()).toContain("nests deeper than 256 levels")
    }
  })

  it.effect("a svix-signature sent twice and joined with \", \" still verifies", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers = signed(body)
      const valid = headers["svix-signature"]
      const joined = new Headers(headers)
      joined.append("svix-signature", "v1,AAAA")
      expect(joined.get("svix-signature")).toBe(`${valid}, v1,AAAA`)
      expect((yield* Webhooks.verify(body, joined)).id).toBe("msg_2xTestMessage")
      for (const list of [`v1,AAAA, ${valid}`, `v1,AAAA,\t${valid}`, `v1,AAAA  ${valid}`, `${valid},`]) {
        expect((yield* Webhooks.verify(body, { ...headers, "svix-signature": list })).id).toBe("msg_2xTestMessage")
      }
      const error = yield* Effect.flip(Webhooks.verify(body, { ...headers, "svix-signature": "v1,AAAA, v1,BBBB" }))
      expect(error._tag).toBe("WebhookInvalidSignature")
    })))

  it.effect("a header value that is an array is named so", () =>
    atNow(Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const headers: Record<string, unknown> = { ...signed(body), "svix-id": ["msg_1", "msg_2"] }
      const error = yield* Effect.flip(Webhooks.verify(body, headers))
      expect(error.message).toBe("svix-id is an array, not a string")
    })))

  it("parseSecret: trimmed, whsec_ optional, padded base64 of at least 16 bytes", () => {
    const key16 = Buffer.alloc(16, 7).toString("base64")
    const valid = [SECRET, `  ${SECRET}\n`, SECRET.slice("whsec_".length), `whsec_${key16}`]
    for (const secret of valid) {
      const parsed = Webhooks.parseSecret(Redacted.make(secret))
      if (parsed._tag === "Left") return expect.unreachable(parsed.left)
      expect(Redacted.value(parsed.right)).toBe(secret.trim())
    }
    const short = Buffer.alloc(15, 7).toString("base64")
    const invalid = ["whsec_Zm9v", "Zm9v", `whsec_${short}`, "", "   ", "whsec_", "whsec_***", `whsec_${key16}x`]
    for (const secret of invalid) {
      const parsed = Webhooks.parseSecret(secret)
      if (parsed._tag === "Right") return expect.unreachable(secret)
      if (secret.length > 8) expect(parsed.left).not.toContain(secret.slice(6))
    }
    expect(Webhooks.parseSecret("whsec_Zm9v")).toStrictEqual(
      Either.left("a signing secret's key is at least 16 bytes (this one is 3; Clerk's are 24)")
    )
  })

  it.effect("Webhooks.layer and layerConfig refuse a short key; accept a padded, unprefixed one", () =>
    Effect.gen(function*() {
      const build = (secret: string) =>
        Effect.exit(Effect.scoped(Layer.build(Webhooks.layer({ secret: Redacted.make(secret) }))))
      expect(Exit.isFailure(yield* build("whsec_Zm9v"))).toBe(true)
      expect(Exit.isFailure(yield* build("Zm9vYmFy"))).toBe(true)
      expect(Exit.isSuccess(yield* build(`${SECRET}\n`))).toBe(true)
      const fromEnv = yield* Layer.build(Webhooks.layerConfig()).pipe(
        Effect.scoped,
        Effect.withConfigProvider(ConfigProvider.fromJson({ CLERK_WEBHOOK_SIGNING_SECRET: "whsec_Zm9v" })),
        Effect.exit
      )
      if (Exit.isSuccess(fromEnv)) return expect.unreachable()
      expect(Cause.pretty(fromEnv.cause)).toContain("at least 16 bytes")
    }))

  it.effect("a secret read with a trailing newline verifies what the trimmed secret signed", () =>
    Effect.gen(function*() {
      const body = payload("user.created", wireUser)
      const message = yield* Webhooks.verify(body, signed(body)).pipe(
        Effect.provide(Webhooks.layer({ secret: Redacted.make(`${SECRET}\n`) }))
      )
      expect(message.id).toBe("msg_2xTestMessage")
    }).pipe((e) => Effect.zipRight(TestClock.setTime(NOW_MS), e)))
})
