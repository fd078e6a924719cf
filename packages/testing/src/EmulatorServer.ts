/**
 * The emulator over HTTP on loopback: Clerk's API under `/v1`, and test-only endpoints under `/__emulator/` (a
 * prefix Clerk does not use): reset, seed, snapshot/restore, faults, features, rate limit, time, request log.
 * Any Clerk client can point at it (`@clerk/backend` with `apiUrl`, this SDK with `CLERK_API_URL`).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as crypto from "node:crypto"
import * as http from "node:http"
import * as os from "node:os"
import * as ClerkEmulator from "./ClerkEmulator.js"
import { type Outcome, respond } from "./internal/answer.js"
import { decodeSeedJson, SeedSchema } from "./internal/seed.js"
import * as TestEndpoints from "./internal/testEndpoints.js"

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
  /**
   * Largest request body read, in bytes (default 10 MiB): a larger declared one gets a 413 without being read, a
   * larger streamed one a 413 once past the limit; either way the connection is then closed. Below it, the
   * emulator's own `maxBodyBytes` applies (default 1 MiB for a JSON route, 10 MiB for a multipart one).
   */
  readonly maxBodyBytes?: number | undefined
  /**
   * URLs to deliver webhook events to (`clerk-emulator --webhook URL`), all signed with one secret
   * (`webhookSecret`, or a fresh `whsec_…`: `RunningServer.webhookSecret`).
   */
  readonly webhooks?: ReadonlyArray<string> | undefined
  /**
   * The signing secret of the `webhooks` endpoints (`whsec_` + base64); default: a fresh one per start.
   *
   * @since 0.2.0
   */
  readonly webhookSecret?: Redacted.Redacted<string> | undefined
  /**
   * Host names served besides the listening address and the loopback names (`localhost`, `127.0.0.1`, `[::1]`),
   * e.g. `host.docker.internal`. A request whose `Host` names none of them gets a 421 (DNS rebinding defence).
   *
   * @since 0.2.0
   */
  readonly allowedHosts?: ReadonlyArray<string> | undefined
  /**
   * How long closing the scope waits for requests in flight before cutting their connections (default 5 seconds).
   *
   * @since 0.2.0
   */
  readonly shutdownTimeout?: Duration.DurationInput | undefined
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
  /**
   * The signing secret of the `webhooks` endpoints (`CLERK_WEBHOOK_SIGNING_SECRET`); `undefined` without them.
   *
   * @since 0.2.0
   */
  readonly webhookSecret: Redacted.Redacted<string> | undefined
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
export const FaultJson = TestEndpoints.FaultJson

/**
 * The JSON `/__emulator/seed` and `--seed file.json` take. Strict: an unknown key is refused, at any depth.
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
export const SeedJson = SeedSchema

// ---------------------------------------------------------------------------------------------------------------
// the node:http adapter

const isIPv6 = (host: string) => host.includes(":")
const bracket = (host: string) => (isIPv6(host) && !host.startsWith("[") ? `[${host}]` : host).toLowerCase()

/** The host names a request's `Host` (and a test-endpoint request's `Origin`) may name: the listening address's. */
const allowedHostnames = (bound: string, extra: ReadonlyArray<string>): ReadonlySet<string> => {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", bracket(bound), ...extra.map(bracket)])
  if (bound === "0.0.0.0" || bound === "::") {
    // bound to every interface: each interface's address names it
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) names.add(bracket(address.address))
    }
  }
  return names
}

/** Whether `host[:port]` names this server (a missing port means 80). */
const namesServer = (value: string, hostnames: ReadonlySet<string>, port: number): boolean => {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value)
  if (m === null || !hostnames.has(m[1]!.toLowerCase())) return false
  return (m[2] === undefined ? 80 : Number(m[2])) === port
}

const originAllowed = (origin: string, hostnames: ReadonlySet<string>, port: number): boolean => {
  const m = /^http:\/\/([^/]+)$/i.exec(origin)
  return m !== null && namesServer(m[1]!, hostnames, port)
}

const tooLarge = (max: number) =>
  TestEndpoints.clerkError(
    413,
    "request_body_too_large",
    "request body too large",
    `The request body exceeds ${max} bytes.`
  )

const early = (response: Response): Outcome => ({ _tag: "Response", response, close: true })

class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{}> {}
class BodyIncomplete extends Data.TaggedError("BodyIncomplete")<{}> {}

/**
 * Reads the whole body, or fails: past `max` bytes (reading stops), or when it did not arrive whole (the client went
 * away, or fewer bytes came than `Content-Length` declared). An incomplete body is never handed on.
 */
const readBody = (req: http.IncomingMessage, max: number) =>
  Effect.async<Buffer, BodyTooLarge | BodyIncomplete>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let done = false
    const finish = (result: Effect.Effect<Buffer, BodyTooLarge | BodyIncomplete>) => {
      if (done) return
      done = true
      req.off("data", onData)
      resume(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.pause()
        return finish(Effect.fail(new BodyTooLarge()))
      }
      chunks.push(chunk)
    }
    req.on("data", onData)
    req.on("end", () => {
      const declared = req.headers["content-length"]
      finish(
        !req.complete || (declared !== undefined && Number(declared) !== size)
          ? Effect.fail(new BodyIncomplete())
          : Effect.succeed(Buffer.concat(chunks))
      )
    })
    req.on("error", () => finish(Effect.fail(new BodyIncomplete())))
    req.on("close", () => finish(Effect.fail(new BodyIncomplete())))
  })

const hasBody = (req: http.IncomingMessage) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? "0") > 0

const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? "")

const toRequest = (req: http.IncomingMessage, url: URL, body: Buffer) => {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v)
  }
  // node:http's `req.headers` is a plain object: a header named `__proto__` went to its prototype setter and is
  // missing there (nothing polluted: the value is a string); the raw list still has it, as data
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "__proto__") headers.append("__proto__", raw[i + 1] ?? "")
  }
  const method = req.method ?? "GET"
  return new Request(url, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" || body.length === 0 ? {} : { body: new Uint8Array(body) })
  })
}

interface Dispatch {
  readonly emulator: ClerkEmulator.ClerkEmulatorService
  readonly endpoints: TestEndpoints.TestEndpoints
  readonly hostnames: () => ReadonlySet<string>
  readonly port: () => number
  readonly maxBody: number
}

/** The checks before a body is read: the Host, the size, and for test endpoints the Origin and the media type. */
const refuseEarly = (ctx: Dispatch, req: http.IncomingMessage, testEndpoint: boolean): Response | undefined => {
  if (!namesServer(req.headers.host ?? "", ctx.hostnames(), ctx.port())) {
    return TestEndpoints.clerkError(
      421,
      "host_invalid",
      "host not served",
      `This emulator serves requests for its own address only (Host ${
        JSON.stringify(req.headers.host ?? "").slice(0, 200)
      } is not one); add names with the allowedHosts option.`
    )
  }
  if (Number(req.headers["content-length"] ?? "0") > ctx.maxBody) return tooLarge(ctx.maxBody)
  if (!testEndpoint) return undefined
  const origin = req.headers.origin
  const site = req.headers["sec-fetch-site"]
  if (
    (origin !== undefined && !originAllowed(origin, ctx.hostnames(), ctx.port())) ||
    (site !== undefined && site !== "same-origin" && site !== "none")
  ) {
    return TestEndpoints.clerkError(
      403,
      "origin_invalid",
      "cross-site request refused",
      "Test endpoints refuse cross-site requests."
    )
  }
  if (hasBody(req) && !isJson(req.headers["content-type"])) {
    return TestEndpoints.clerkError(
      415,
      "unsupported_media_type",
      "unsupported media type",
      "Test endpoint bodies must be application/json."
    )
  }
  return undefined
}

/** Whether the path has a `.` or `..` segment, percent-encoded or not (a backslash separates segments too, as URL parses). */
const hasDotSegment = (target: string) =>
  (target.split(/[?#]/)[0] ?? "").split(/[/\\]/).some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))

const dispatch = (ctx: Dispatch, req: http.IncomingMessage): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    const target = req.url ?? "/"
    const testEndpoint = target.startsWith("/__emulator/")
    const refused = refuseEarly(ctx, req, testEndpoint)
    if (refused !== undefined) return early(refused)
    const body = yield* readBody(req, ctx.maxBody).pipe(Effect.either)
    if (body._tag === "Left") {
      return body.left._tag === "BodyTooLarge" ? early(tooLarge(ctx.maxBody)) : { _tag: "Drop" as const }
    }
    if (hasDotSegment(target)) {
      // the URL parser would resolve `..` (also `%2e%2e`) as navigation: `/v1/users/u/x/..` would name user u
      return {
        _tag: "Response" as const,
        response: TestEndpoints.clerkError(
          404,
          "resource_not_found",
          "not found",
          `No route for ${req.method} ${JSON.stringify(target.slice(0, 300))}.`
        )
      }
    }
    const url = yield* Effect.try(() =>
      new URL(`http://${req.headers.host ?? "localhost"}${target.startsWith("/") ? target : `/${target}`}`)
    ).pipe(Effect.either)
    if (url._tag === "Left") {
      return early(
        TestEndpoints.clerkError(400, "request_invalid", "invalid request target", "The URL cannot be parsed.")
      )
    }
    if (testEndpoint) {
      const text = body.right.length === 0 ? undefined : body.right.toString("utf8")
      const path = url.right.pathname.slice("/__emulator".length)
      return {
        _tag: "Response" as const,
        response: yield* TestEndpoints.handle(ctx.endpoints, req.method ?? "GET", path, text)
      }
    }
    const request = yield* Effect.try(() => toRequest(req, url.right, body.right)).pipe(Effect.either)
    if (request._tag === "Left") {
      // methods the Fetch standard forbids (TRACE, TRACK, CONNECT) cannot become a Request; Clerk serves none of them
      return early(
        TestEndpoints.clerkError(405, "method_not_allowed", "method not allowed", `${req.method} is not allowed.`)
      )
    }
    return yield* ctx.emulator.handle(request.right).pipe(
      Effect.map((response): Outcome => ({ _tag: "Response", response })),
      Effect.catchTag("ConnectionDropped", () => Effect.succeed<Outcome>({ _tag: "Drop" }))
    )
  })

/**
 * Starts the server in the current scope; closing the scope stops it gracefully: no new connections, requests in
 * flight get up to `shutdownTimeout` (default 5 s) to finish, then the remaining connections are cut. The CLI's
 * SIGINT/SIGTERM close this scope.
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
    const emulator = yield* ClerkEmulator.make({
      validateResponses: false,
      ...options.emulator,
      // external receivers check svix-timestamp against their wall time, not the emulator's advanced time
      webhookTimestamps: options.emulator?.webhookTimestamps ?? "wall"
    })
    if (options.seed !== undefined) {
      yield* emulator.seed(options.seed).pipe(
        Effect.mapError((error) => new ServeError({ message: `cannot seed: ${error.message}`, cause: error }))
      )
    }
    const webhookSecret = yield* addWebhooks(emulator, options)
    const run = Runtime.runPromiseExit(yield* Effect.runtime<never>())
    const host = options.host ?? "127.0.0.1"
    let port = options.port ?? 8787
    let hostnames: ReadonlySet<string> = new Set()
    const ctx: Dispatch = {
      emulator,
      endpoints: {
        emulator,
        decodeSeed: decodeSeedJson,
        timeOffset: { current: 0 }
      },
      hostnames: () => hostnames,
      port: () => port,
      maxBody: options.maxBodyBytes ?? 10 * 1024 * 1024
    }
    const inFlight = new Set<http.ServerResponse>()
    let closing = false
    let drained: (() => void) | undefined

    const server = http.createServer((req, res) => {
      inFlight.add(res)
      res.once("close", () => {
        inFlight.delete(res)
        if (inFlight.size === 0) drained?.()
      })
      void respond(req, res, run(dispatch(ctx, req)), () => closing)
    })
    // longer than clients' idle pools (undici keeps sockets 4 s by default), so a reused socket is never one the
    // server is closing at that moment
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000

    port = yield* Effect.acquireRelease(
      listen(server, host, port),
      () =>
        shutdown(server, inFlight, options.shutdownTimeout ?? "5 seconds", (f) => {
          closing = true
          drained = f
        })
    )
    hostnames = allowedHostnames(host, options.allowedHosts ?? [])
    return { url: `http://${bracket(host)}:${port}`, port, secretKey: emulator.secretKey, emulator, webhookSecret }
  })

/** The `--webhook` endpoints, sharing one secret. */
const addWebhooks = (emulator: ClerkEmulator.ClerkEmulatorService, options: Options) =>
  Effect.gen(function*() {
    const urls = options.webhooks ?? []
    if (urls.length === 0) return undefined
    const secret = options.webhookSecret ?? Redacted.make(`whsec_${crypto.randomBytes(24).toString("base64")}`)
    for (const url of urls) {
      yield* emulator.addWebhookEndpoint({ url, secret }).pipe(
        Effect.mapError((error) => new ServeError({ message: `cannot add webhook ${url}: ${error.message}` }))
      )
    }
    return secret
  })

const listen = (server: http.Server, host: string, port: number) =>
  Effect.async<number, ServeError>((resume) => {
    const onError = (error: Error) =>
      resume(
        Effect.fail(new ServeError({ message: `cannot listen on ${host}:${port}: ${error.message}`, cause: error }))
      )
    server.once("error", onError)
    server.listen(port, host, () => {
      server.off("error", onError)
      const address = server.address()
      resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : port))
    })
  })

/** Stops accepting, lets requests in flight finish within `timeout`, then cuts what is left. */
const shutdown = (
  server: http.Server,
  inFlight: ReadonlySet<http.ServerResponse>,
  timeout: Duration.DurationInput,
  onClosing: (drained: () => void) => void
) =>
  Effect.gen(function*() {
    const closed = Effect.async<undefined>((resume) => {
      server.close(() => resume(Effect.succeed(undefined)))
    })
    const idle = Effect.async<undefined>((resume) => {
      onClosing(() => resume(Effect.succeed(undefined)))
      if (inFlight.size === 0) resume(Effect.succeed(undefined))
    })
    const fiber = yield* Effect.fork(closed)
    server.closeIdleConnections()
    // finalizers run uninterruptibly: the wait must be interruptible for the timeout to end it
    yield* Effect.interruptible(idle).pipe(Effect.timeout(timeout), Effect.ignore)
    server.closeAllConnections()
    yield* fiber.await
  })
