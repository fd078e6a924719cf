/**
 * The emulator server's test-only endpoints under `/__emulator/` (reset, seed, snapshot/restore, faults, time,
 * rate limit, request log, TOTP codes, health). Every body is JSON decoded whole with its schema, and refused with
 * 400 in Clerk's error envelope before anything changes.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as ClerkEmulator from "../ClerkEmulator.js"
import { traceId } from "./crypto.js"
import { FaultJson } from "./faultSchema.js"
import { formatPath } from "./seed.js"
import { SnapshotSchema } from "./snapshot.js"

export { FaultJson }

/** The largest move of the emulator's clock one call (and all calls together) may make: 100 years. @internal */
export const maxTimeOffsetMs = 100 * 365 * 24 * 3600 * 1000

const TimeJson = Schema.Struct({ advanceMs: Schema.Int.pipe(Schema.between(0, maxTimeOffsetMs)) })

const RateLimitJson = Schema.Union(
  Schema.Struct({ enabled: Schema.Literal(false) }),
  Schema.Struct({ enabled: Schema.Literal(true) }),
  Schema.Struct({
    enabled: Schema.Literal(true),
    limit: Schema.Int.pipe(Schema.between(1, 1_000_000)),
    windowMs: Schema.Int.pipe(Schema.between(1, 24 * 3600 * 1000))
  })
)

/** @internal */
export const WebhookEndpointJson = Schema.Struct({
  url: Schema.String.pipe(Schema.maxLength(2048)),
  events: Schema.optional(Schema.Array(Schema.Literal("user.created", "user.updated", "user.deleted"))),
  secret: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
})

const endpointJson = (e: ClerkEmulator.WebhookEndpoint) => ({
  id: e.id,
  url: e.url ?? null,
  events: e.events,
  // a loopback test server: the tests that added the endpoint need its secret to verify
  secret: Redacted.value(e.secret)
})

const Empty = Schema.Unknown.pipe(
  Schema.filter((u) =>
    (typeof u === "object" && u !== null && !Array.isArray(u) && Object.keys(u).length === 0) ||
    "expected no body or {}"
  )
)

const envelope = (status: number, code: string, message: string, longMessage: string) =>
  json(status, { errors: [{ code, message, long_message: longMessage.slice(0, 4000) }], clerk_trace_id: traceId() })

/** @internal */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/**
 * An error in Clerk's envelope (`errors[]` with `code`, `message`, `long_message`, and `clerk_trace_id`).
 *
 * @internal
 */
export const clerkError = envelope

const ok = () => json(200, { ok: true })

/** @internal */
export interface TestEndpoints {
  readonly emulator: ClerkEmulator.ClerkEmulatorService
  /** Decodes a seed (`EmulatorServer.SeedJson`). */
  readonly decodeSeed: (u: unknown) => Effect.Effect<ClerkEmulator.Seed, ParseResult.ParseError>
  /** The total time offset so far (bounded with `maxTimeOffsetMs`). */
  readonly timeOffset: { current: number }
}

/**
 * Each issue as `at <path>: <message>`, the path named as every seed error names it (`users[0].emailAddress[1]`);
 * an optional field's "Expected undefined" branch only repeats another. Effect's formatters print the offending value recursively, which overflows the stack on a value nested thousands
 * deep: then the answer says so instead of failing.
 */
const describe = (error: ParseResult.ParseError) => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error)
      .filter((issue) => !issue.message.startsWith("Expected undefined"))
      .slice(0, 10)
      .map((issue) => `at ${formatPath(issue.path)}: ${issue.message}`)
      .join("; ")
  } catch {
    return "The body does not match the schema (a value is nested too deeply to describe)."
  }
}

const strict = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.decodeUnknown(schema, { onExcessProperty: "error", errors: "all" })

const decode = <A>(decoder: (u: unknown) => Effect.Effect<A, ParseResult.ParseError>, text: string | undefined) =>
  Effect.gen(function*() {
    const value = yield* Effect.try({
      try: (): unknown => (text === undefined || text.trim() === "" ? {} : JSON.parse(text)),
      catch: (error) =>
        envelope(400, "malformed_request_body", "malformed request body", `The body is not JSON: ${String(error)}`)
    })
    return yield* decoder(value).pipe(
      Effect.mapError((error) => envelope(400, "form_param_format_invalid", "invalid body", describe(error)))
    )
  })

const routes = (
  ctx: TestEndpoints,
  text: string | undefined
): Record<string, () => Effect.Effect<Response, Response>> => ({
  "GET /health": () => Effect.succeed(ok()),
  "POST /reset": () =>
    Effect.gen(function*() {
      yield* decode(strict(Empty), text)
      yield* ctx.emulator.reset
      ctx.timeOffset.current = 0
      return ok()
    }),
  "POST /seed": () =>
    Effect.gen(function*() {
      const seed = yield* decode(ctx.decodeSeed, text)
      const result = yield* ctx.emulator.seed(seed).pipe(
        Effect.mapError((e) => envelope(400, "seed_invalid", "invalid seed", e.message))
      )
      return json(200, { users: result.users.map((u) => u.id), organizationIds: result.organizationIds })
    }),
  "GET /snapshot": () => Effect.map(ctx.emulator.snapshot, (s) => json(200, s)),
  "POST /restore": () =>
    Effect.flatMap(decode(strict(SnapshotSchema), text), (s) =>
      ctx.emulator.restore(s).pipe(
        Effect.mapError((e) => envelope(400, "form_param_format_invalid", "invalid body", e.message)),
        Effect.as(ok())
      )),
  "POST /faults": () =>
    Effect.flatMap(decode(strict(FaultJson), text), (f) => Effect.as(ctx.emulator.injectFault(f), ok())),
  "DELETE /faults": () => Effect.as(ctx.emulator.clearFaults, ok()),
  "POST /time": () =>
    Effect.gen(function*() {
      const { advanceMs } = yield* decode(strict(TimeJson), text)
      if (ctx.timeOffset.current + advanceMs > maxTimeOffsetMs) {
        return yield* Effect.fail(
          envelope(400, "form_param_format_invalid", "invalid advanceMs", "The clock may move 100 years at most.")
        )
      }
      ctx.timeOffset.current += advanceMs
      yield* ctx.emulator.advanceTime(advanceMs)
      return ok()
    }),
  "POST /rate-limit": () =>
    Effect.gen(function*() {
      const r = yield* decode(strict(RateLimitJson), text)
      yield* ctx.emulator.setRateLimit(
        !r.enabled ? false : "limit" in r ? { limit: r.limit, window: r.windowMs } : "clerk"
      )
      return ok()
    }),
  "GET /requests": () => Effect.map(ctx.emulator.requests, (log) => json(200, log)),
  "GET /webhooks": () => Effect.map(ctx.emulator.webhookEndpoints, (list) => json(200, list.map(endpointJson))),
  "POST /webhooks": () =>
    Effect.gen(function*() {
      const input = yield* decode(strict(WebhookEndpointJson), text)
      const endpoint = yield* ctx.emulator.addWebhookEndpoint(input).pipe(
        Effect.mapError((e) => envelope(400, "form_param_format_invalid", "invalid webhook endpoint", e.message))
      )
      return json(200, endpointJson(endpoint))
    }),
  "GET /webhooks/deliveries": () => Effect.map(ctx.emulator.webhookDeliveries, (log) => json(200, log))
})

const removeWebhook = (ctx: TestEndpoints, raw: string) =>
  Effect.map(ctx.emulator.removeWebhookEndpoint(safeDecode(raw) ?? raw), (removed) =>
    removed
      ? json(200, { id: raw, deleted: true })
      : envelope(404, "resource_not_found", "not found", `No webhook endpoint ${raw.slice(0, 100)}`))

const safeDecode = (raw: string) => {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

/**
 * Answers one test-endpoint request: `path` is what follows `/__emulator`, still percent-encoded; `text` is the
 * whole body (the server checked it is JSON and arrived whole).
 *
 * @internal
 */
export const handle = (
  ctx: TestEndpoints,
  method: string,
  path: string,
  text: string | undefined
): Effect.Effect<Response> => {
  const route = routes(ctx, text)[`${method} ${path}`]
  if (route !== undefined) return Effect.merge(route())
  const totp = /^\/users\/([^/]+)\/totp$/.exec(path)?.[1]
  if (method === "GET" && totp !== undefined) {
    let id: string
    try {
      id = decodeURIComponent(totp)
    } catch {
      return Effect.succeed(envelope(404, "resource_not_found", "not found", `No user was found with id ${totp}`))
    }
    return Effect.map(ctx.emulator.totpCode(id), (code) =>
      code === undefined
        ? envelope(404, "resource_not_found", "not found", `No TOTP secret for user ${id}`)
        : json(200, { code }))
  }
  const webhook = /^\/webhooks\/([^/]+)$/.exec(path)?.[1]
  if (method === "DELETE" && webhook !== undefined && webhook !== "deliveries") return removeWebhook(ctx, webhook)
  const known = Object.keys(routes(ctx, text)).some((key) => key.endsWith(` ${path}`)) ||
    /^\/users\/[^/]+\/totp$/.test(path) || webhook !== undefined
  return Effect.succeed(
    known
      ? envelope(405, "method_not_allowed", "method not allowed", `${method} is not allowed on /__emulator${path}`)
      : envelope(404, "resource_not_found", "not found", `No test endpoint ${method} /__emulator${path}`)
  )
}
