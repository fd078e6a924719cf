/**
 * The emulator over HTTP on loopback: Clerk's API under `/v1`, and test-only endpoints under `/__emulator/` (a
 * prefix Clerk does not use): reset, seed, snapshot/restore, faults, features, rate limit, time, request log.
 * Any Clerk client can point at it (`@clerk/backend` with `apiUrl`, this SDK with `CLERK_API_URL`).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as http from "node:http"
import type * as net from "node:net"
import * as ClerkEmulator from "./ClerkEmulator.js"

/**
 * The server could not start (port taken, permission denied).
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@effect-clerk/testing"
 * const error = new EmulatorServer.ServeError({ message: "port 8787 is in use" })
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ServeError
  extends Data.TaggedError("ServeError")<{ readonly message: string; readonly cause?: unknown }>
{}

/**
 * Options of `serve`.
 *
 * @example
 * ```ts
 * import type { EmulatorServer } from "@effect-clerk/testing"
 * const options: EmulatorServer.Options = { port: 0, emulator: { validateResponses: false } }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default 8787; 0 picks a free port. */
  readonly port?: number | undefined
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string | undefined
  readonly emulator?: ClerkEmulator.Options | undefined
  readonly seed?: ClerkEmulator.Seed | undefined
  /** Largest request body read, in bytes (default 10 MiB); larger ones get a 413 without being read. */
  readonly maxBodyBytes?: number | undefined
  /** URLs to deliver webhook events to (`clerk-emulator --webhook URL`). */
  readonly webhooks?: ReadonlyArray<string> | undefined
}

/**
 * A running server.
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const program = Effect.scoped(Effect.flatMap(EmulatorServer.serve({ port: 0 }), (server) => Effect.log(server.url)))
 * ```
 * @since 0.1.0
 * @category models
 */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`: what `CLERK_API_URL` / `apiUrl` take (`/v1` is appended by clients). */
  readonly url: string
  readonly port: number
  readonly secretKey: string
  readonly emulator: ClerkEmulator.ClerkEmulatorService
}

/**
 * The JSON `/__emulator/faults` takes.
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@effect-clerk/testing"
 * import { Schema } from "effect"
 * const fault = Schema.decodeUnknownSync(EmulatorServer.FaultJson)({ action: { _tag: "Status", status: 503 } })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const FaultJson = Schema.Struct({
  operation: Schema.optional(Schema.String),
  probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  times: Schema.optional(Schema.Int.pipe(Schema.positive())),
  action: Schema.Union(
    Schema.Struct({
      _tag: Schema.Literal("Status"),
      status: Schema.Int.pipe(Schema.between(100, 599)),
      body: Schema.optional(Schema.String),
      retryAfter: Schema.optional(Schema.Number)
    }),
    Schema.Struct({ _tag: Schema.Literal("Latency"), delay: Schema.Number }),
    Schema.Struct({ _tag: Schema.Literal("Drop"), afterProcessing: Schema.optional(Schema.Boolean) }),
    Schema.Struct({ _tag: Schema.Literal("Refuse") }),
    Schema.Struct({
      _tag: Schema.Literal("Malformed"),
      kind: Schema.Literal("truncated", "html", "empty", "garbage", "wrong-shape")
    })
  )
})

const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Strings = Schema.Array(Schema.String)

/**
 * The JSON `/__emulator/seed` and `--seed file.json` take.
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@effect-clerk/testing"
 * import { Schema } from "effect"
 * const seed = Schema.decodeUnknownSync(EmulatorServer.SeedJson)({ users: [{ emailAddress: ["a@b.co"] }] })
 * ```
 * @since 0.1.0
 * @category schemas
 */
export const SeedJson = Schema.Struct({
  users: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.optional(Schema.String),
    emailAddress: Schema.optional(Strings),
    phoneNumber: Schema.optional(Strings),
    web3Wallet: Schema.optional(Strings),
    username: Schema.optional(Schema.String),
    externalId: Schema.optional(Schema.String),
    firstName: Schema.optional(Schema.String),
    lastName: Schema.optional(Schema.String),
    password: Schema.optional(Schema.String),
    totpSecret: Schema.optional(Schema.String),
    backupCodes: Schema.optional(Strings),
    publicMetadata: Schema.optional(Metadata),
    privateMetadata: Schema.optional(Metadata),
    unsafeMetadata: Schema.optional(Metadata),
    banned: Schema.optional(Schema.Boolean),
    locked: Schema.optional(Schema.Boolean),
    createdAt: Schema.optional(Schema.Number),
    lastSignInAt: Schema.optional(Schema.Number),
    lastActiveAt: Schema.optional(Schema.Number),
    passkeys: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String }))),
    externalAccounts: Schema.optional(Schema.Array(Schema.Struct({
      provider: Schema.String,
      providerUserId: Schema.String,
      emailAddress: Schema.optional(Schema.String),
      tokens: Schema.optional(Schema.Array(Schema.Struct({
        token: Schema.String,
        scopes: Schema.optional(Strings),
        expiresAt: Schema.optional(Schema.Number)
      })))
    }))),
    trustedDevices: Schema.optional(Schema.Array(Schema.Struct({
      platform: Schema.Literal("ios", "android"),
      appIdentifier: Schema.String,
      name: Schema.optional(Schema.String)
    }))),
    subscription: Schema.optional(Schema.Boolean),
    credits: Schema.optional(Schema.Struct({ amount: Schema.Number, currency: Schema.optional(Schema.String) }))
  }))),
  organizations: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.optional(Schema.String),
    name: Schema.String,
    slug: Schema.optional(Schema.String),
    members: Schema.optional(
      Schema.Array(Schema.Struct({ userId: Schema.String, role: Schema.optional(Schema.String) }))
    ),
    invitations: Schema.optional(Schema.Array(Schema.Struct({
      emailAddress: Schema.String,
      role: Schema.optional(Schema.String),
      status: Schema.optional(Schema.Literal("pending", "accepted", "revoked", "expired"))
    })))
  })))
})

/** The outline of what GET /snapshot gives: enough to refuse anything else with a 400 instead of corrupting state. */
const SnapshotJson = Schema.Struct({
  version: Schema.Literal(1),
  state: Schema.Struct({
    seq: Schema.Number,
    users: Schema.Array(Schema.Struct({ id: Schema.String, seq: Schema.Number })),
    organizations: Schema.Array(Schema.Struct({ id: Schema.String })),
    memberships: Schema.Array(Schema.Struct({ id: Schema.String })),
    invitations: Schema.Array(Schema.Struct({ id: Schema.String })),
    features: Schema.Struct({ banning: Schema.Boolean, lockout: Schema.Boolean })
  })
})

const tooLarge = (max: number) =>
  json(413, {
    errors: [{
      code: "request_body_too_large",
      message: "request body too large",
      long_message: `The request body exceeds ${max} bytes.`
    }]
  })

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const admin = (emulator: ClerkEmulator.ClerkEmulatorService, request: Request, path: string) =>
  Effect.gen(function*() {
    const body = request.method === "GET" || request.method === "DELETE"
      ? undefined
      : yield* Effect.promise(() => request.text()).pipe(
        Effect.flatMap((text) => Effect.try(() => (text.trim() === "" ? {} : JSON.parse(text) as unknown)))
      )
    const bad = (error: unknown) => json(400, { error: String(error).slice(0, 2000) })
    const route = `${request.method} ${path}`
    switch (route) {
      case "GET /health":
        return json(200, { ok: true })
      case "POST /reset":
        yield* emulator.reset
        return json(200, { ok: true })
      case "POST /seed":
        return yield* Schema.decodeUnknown(SeedJson)(body).pipe(
          Effect.flatMap((seed) => emulator.seed(seed)),
          Effect.map((result) =>
            json(200, { users: result.users.map((u) => u.id), organizationIds: result.organizationIds })
          ),
          Effect.catchAll((e) => Effect.succeed(bad(e)))
        )
      case "GET /snapshot":
        return json(200, yield* emulator.snapshot)
      case "POST /restore": {
        if (!Schema.is(SnapshotJson)(body)) return bad("the body is not a snapshot from GET /snapshot")
        // its outline is checked above; the rest of the state goes back as GET /snapshot gave it
        yield* emulator.restore(body as ClerkEmulator.Snapshot)
        return json(200, { ok: true })
      }
      case "POST /faults":
        return yield* Schema.decodeUnknown(FaultJson)(body).pipe(
          Effect.flatMap((fault) => emulator.injectFault(fault)),
          Effect.as(json(200, { ok: true })),
          Effect.catchAll((e) => Effect.succeed(bad(e)))
        )
      case "DELETE /faults":
        yield* emulator.clearFaults
        return json(200, { ok: true })
      case "POST /time":
        return yield* Schema.decodeUnknown(Schema.Struct({ advanceMs: Schema.Number }))(body).pipe(
          Effect.flatMap(({ advanceMs }) => emulator.advanceTime(advanceMs)),
          Effect.as(json(200, { ok: true })),
          Effect.catchAll((e) => Effect.succeed(bad(e)))
        )
      case "POST /rate-limit":
        return yield* Schema.decodeUnknown(
          Schema.Struct({
            enabled: Schema.Boolean,
            limit: Schema.optional(Schema.Int),
            windowMs: Schema.optional(Schema.Int)
          })
        )(body).pipe(
          Effect.flatMap((r) =>
            emulator.setRateLimit(
              !r.enabled
                ? false
                : r.limit !== undefined && r.windowMs !== undefined
                ? { limit: r.limit, window: r.windowMs }
                : "clerk"
            )
          ),
          Effect.as(json(200, { ok: true })),
          Effect.catchAll((e) => Effect.succeed(bad(e)))
        )
      case "GET /requests":
        return json(200, yield* emulator.requests)
      default: {
        const totp = /^GET \/users\/([^/]+)\/totp$/.exec(route)
        if (totp?.[1] !== undefined) {
          const code = yield* emulator.totpCode(decodeURIComponent(totp[1]))
          return code === undefined ? json(404, { error: "no TOTP secret" }) : json(200, { code })
        }
        return json(404, { error: `no test endpoint ${route}` })
      }
    }
  }).pipe(Effect.catchAll((e) => Effect.succeed(json(400, { error: String(e) }))))

class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{}> {}

const readBody = (req: http.IncomingMessage, max: number) =>
  Effect.async<Buffer, BodyTooLarge>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.off("data", onData)
        req.resume()
        resume(Effect.fail(new BodyTooLarge()))
        return
      }
      chunks.push(chunk)
    }
    req.on("data", onData)
    req.on("end", () => resume(Effect.succeed(Buffer.concat(chunks))))
    req.on("error", () => resume(Effect.succeed(Buffer.concat(chunks))))
  })

/**
 * Starts the server in the current scope; closing the scope stops it (connections are closed).
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const server = yield* EmulatorServer.serve({ port: 0 })
 *     yield* Effect.log(`CLERK_API_URL=${server.url} CLERK_SECRET_KEY=${server.secretKey}`)
 *   })
 * )
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const serve = (
  options: Options = {}
): Effect.Effect<RunningServer, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator.make({ validateResponses: false, ...options.emulator })
    if (options.seed !== undefined) {
      yield* emulator.seed(options.seed).pipe(
        Effect.mapError((error) => new ServeError({ message: `cannot seed: ${error.message}`, cause: error }))
      )
    }
    const runtime = yield* Effect.runtime<never>()
    const run = Runtime.runPromiseExit(runtime)
    const host = options.host ?? "127.0.0.1"
    const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024
    const sockets = new Set<net.Socket>()

    const server = http.createServer((req, res) => {
      const program = Effect.gen(function*() {
        const url = new URL(req.url ?? "/", `http://${host}`)
        const declared = Number(req.headers["content-length"] ?? "0")
        if (declared > maxBody) {
          return {
            _tag: "Response" as const,
            response: tooLarge(maxBody)
          }
        }
        const body = yield* readBody(req, maxBody).pipe(Effect.either)
        if (body._tag === "Left") {
          return {
            _tag: "Response" as const,
            response: tooLarge(maxBody)
          }
        }
        const headers = new Headers()
        for (const [key, value] of Object.entries(req.headers)) {
          if (value === undefined) continue
          for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v)
        }
        const method = req.method ?? "GET"
        const request = new Request(url, {
          method,
          headers,
          ...(method === "GET" || method === "HEAD" || body.right.length === 0
            ? {}
            : { body: new Uint8Array(body.right) })
        })
        if (url.pathname.startsWith("/__emulator/")) {
          return {
            _tag: "Response" as const,
            response: yield* admin(emulator, request, url.pathname.slice("/__emulator".length))
          }
        }
        return yield* emulator.handle(request).pipe(
          Effect.map((response) => ({ _tag: "Response" as const, response })),
          Effect.catchTag("ConnectionDropped", () => Effect.succeed({ _tag: "Drop" as const }))
        )
      })
      void run(program).then(async (exit) => {
        if (Exit.isFailure(exit)) {
          res.writeHead(500, { "content-type": "application/json" })
          res.end(
            JSON.stringify({
              errors: [{
                code: "internal_error",
                message: "emulator failure",
                long_message: "The emulator failed on this request."
              }]
            })
          )
          return
        }
        const outcome = exit.value
        if (outcome._tag === "Drop") {
          req.socket.destroy()
          return
        }
        const payload = Buffer.from(await outcome.response.arrayBuffer())
        const headers: Record<string, string> = {}
        outcome.response.headers.forEach((value, key) => (headers[key] = value))
        headers["content-length"] = String(payload.length)
        res.writeHead(outcome.response.status, headers)
        res.end(payload)
      })
    })
    // longer than clients' idle pools (undici keeps sockets 4 s by default), so a reused socket is never one the
    // server is closing at that moment
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })

    const port = yield* Effect.acquireRelease(
      Effect.async<number, ServeError>((resume) => {
        const onError = (error: Error) =>
          resume(
            Effect.fail(
              new ServeError({
                message: `cannot listen on ${host}:${options.port ?? 8787}: ${error.message}`,
                cause: error
              })
            )
          )
        server.once("error", onError)
        server.listen(options.port ?? 8787, host, () => {
          server.off("error", onError)
          const address = server.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : options.port ?? 8787))
        })
      }),
      () =>
        Effect.async<undefined>((resume) => {
          for (const socket of sockets) socket.destroy()
          server.close(() => resume(Effect.succeed(undefined)))
        })
    )
    return { url: `http://${host}:${port}`, port, secretKey: emulator.secretKey, emulator }
  })
