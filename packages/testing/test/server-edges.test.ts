/**
 * The emulator server against hostile or broken clients, over real sockets: bodies past the limit and bodies that
 * never arrive whole, DNS rebinding (`Host`), cross-site requests to the test endpoints, test-endpoint bodies outside
 * their schemas, and shutdown with requests in flight.
 */
import { EmulatorServer } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as http from "node:http"
import * as net from "node:net"

interface Answer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: { errors?: Array<{ code: string; long_message: string }>; [key: string]: unknown }
}

/** One request through node:http (which, unlike fetch, sends any Host and Origin it is given). */
const request = (
  server: EmulatorServer.RunningServer,
  method: string,
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: string; readonly onSent?: () => void } = {}
) =>
  Effect.promise(() =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port: server.port,
        method,
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${server.secretKey}`,
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers
        }
      }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === "" ? {} : JSON.parse(text) })
        })
      })
      req.on("error", reject)
      if (options.onSent !== undefined) req.on("finish", options.onSent)
      req.end(options.body)
    })
  )

/** Writes raw bytes on a socket; resolves with everything received once the server closes it. */
const raw = (port: number, head: string, write: (socket: net.Socket) => void) =>
  Effect.promise(() =>
    new Promise<{ readonly received: string; readonly closedByServer: boolean }>((resolve) => {
      const socket = net.connect(port, "127.0.0.1")
      let received = ""
      socket.on("data", (c) => (received += c.toString("latin1")))
      socket.on("error", () => undefined)
      socket.on("close", () => resolve({ received, closedByServer: true }))
      socket.on("connect", () => {
        socket.write(head)
        write(socket)
      })
    })
  )

const withServer = <A, E>(
  f: (server: EmulatorServer.RunningServer) => Effect.Effect<A, E>,
  options: EmulatorServer.Options = {}
) => Effect.scoped(Effect.flatMap(EmulatorServer.serve({ port: 0, emulator: { rateLimit: false }, ...options }), f))

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.code

describe("EmulatorServer: request bodies", () => {
  it.live("a declared 100 GiB body: 413, Connection: close, and the server closes while the client still writes", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const chunk = Buffer.alloc(64 * 1024, 0x61)
        const { closedByServer, received } = yield* raw(
          server.port,
          `POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${100 * 1024 ** 3}\r\n\r\n`,
          (socket) => {
            const pump = () => {
              while (!socket.destroyed && socket.write(chunk)) { /* keep writing until the socket pushes back */ }
              if (!socket.destroyed) socket.once("drain", pump)
            }
            pump()
          }
        )
        expect(received).toMatch(/^HTTP\/1\.1 413 /)
        expect(received.toLowerCase()).toContain("connection: close")
        expect(received).toContain("request_body_too_large")
        expect(closedByServer).toBe(true)
      }), { maxBodyBytes: 64 * 1024 }))

  it.live("a chunked body that passes the limit: 413 and the connection closes", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const { received } = yield* raw(
          server.port,
          `POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
            `Transfer-Encoding: chunked\r\n\r\n`,
          (socket) => {
            for (let i = 0; i < 8; i++) socket.write(`10000\r\n${"a".repeat(0x10000)}\r\n`)
          }
        )
        expect(received).toMatch(/^HTTP\/1\.1 413 /)
      }), { maxBodyBytes: 64 * 1024 }))

  it.live("42 of 92 declared bytes (a complete JSON object), then a disconnect: nothing is created", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const body = JSON.stringify({ email_address: ["half@example.com"] })
        const head = (length: number) =>
          `POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.secretKey}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`
        const socket = net.connect(server.port, "127.0.0.1")
        yield* Effect.promise(() => new Promise((resolve) => socket.on("connect", resolve)))
        socket.write(head(92) + body)
        yield* Effect.sleep("100 millis")
        socket.destroy()
        yield* Effect.sleep("300 millis")
        expect(yield* server.emulator.users).toEqual([])
        // the same bytes, declared rightly, do create the user: the body itself was fine
        const whole = yield* raw(server.port, head(Buffer.byteLength(body)) + body, (s) => s.end())
        expect(whole.received).toMatch(/^HTTP\/1\.1 200 /)
        expect((yield* server.emulator.users).length).toBe(1)
      })
    ))
})

describe("EmulatorServer: who may talk to it", () => {
  it.live("Host must name the server: a foreign Host (DNS rebinding) gets 421 in Clerk's envelope", () =>
    withServer((server) =>
      Effect.gen(function*() {
        for (
          const host of ["attacker.example", `attacker.example:${server.port}`, `127.0.0.1:${server.port + 1}`]
        ) {
          for (const path of ["/v1/users", "/__emulator/snapshot"]) {
            const answer = yield* request(server, "GET", path, { headers: { host } })
            expect(answer.status, `${host} ${path}`).toBe(421)
            expect(codeOf(answer)).toBe("host_invalid")
          }
        }
        for (
          const host of [
            `127.0.0.1:${server.port}`,
            `localhost:${server.port}`,
            `LOCALHOST:${server.port}`,
            `[::1]:${server.port}`
          ]
        ) {
          expect((yield* request(server, "GET", "/v1/users", { headers: { host } })).status, host).toBe(200)
        }
        expect((yield* request(server, "GET", "/v1/users", { headers: { host: `dev.test:${server.port}` } })).status)
          .toBe(421)
      })
    ))

  it.live("allowedHosts adds names (e.g. host.docker.internal)", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const host = `dev.test:${server.port}`
        expect((yield* request(server, "GET", "/v1/users", { headers: { host } })).status).toBe(200)
      }), { allowedHosts: ["dev.test"] }))

  it.live("test endpoints refuse foreign Origins, cross-site fetches and non-JSON bodies; nothing changes", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const fault = JSON.stringify({ action: { _tag: "Status", status: 503 } })
        const foreign = yield* request(server, "POST", "/__emulator/faults", {
          headers: { origin: "http://evil.example", "content-type": "text/plain" },
          body: fault
        })
        expect(foreign.status).toBe(403)
        expect(codeOf(foreign)).toBe("origin_invalid")
        for (
          const origin of ["http://evil.example", "null", `https://127.0.0.1:${server.port}`, `http://127.0.0.1:1`]
        ) {
          const answer = yield* request(server, "POST", "/__emulator/faults", { headers: { origin }, body: fault })
          expect(answer.status, origin).toBe(403)
        }
        expect(
          (yield* request(server, "GET", "/__emulator/snapshot", { headers: { origin: "http://evil.example" } }))
            .status
        ).toBe(403)
        const crossSite = yield* request(server, "POST", "/__emulator/reset", {
          headers: { "sec-fetch-site": "cross-site" }
        })
        expect(crossSite.status).toBe(403)
        const plain = yield* request(server, "POST", "/__emulator/faults", {
          headers: { "content-type": "text/plain" },
          body: fault
        })
        expect(plain.status).toBe(415)
        expect(codeOf(plain)).toBe("unsupported_media_type")
        expect((yield* request(server, "GET", "/v1/users")).status).toBe(200)
        const sameOrigin = yield* request(server, "POST", "/__emulator/faults", {
          headers: { origin: `http://127.0.0.1:${server.port}`, "sec-fetch-site": "same-origin" },
          body: JSON.stringify({ operation: "Users.list", action: { _tag: "Status", status: 503 }, times: 1 })
        })
        expect(sameOrigin.status).toBe(200)
        expect((yield* request(server, "GET", "/v1/users")).status).toBe(503)
      })
    ))
})

describe("EmulatorServer: test endpoint bodies are decoded whole, and refused with 400 before anything changes", () => {
  it.live("restore: only a whole snapshot; a bad one leaves /v1/users working", () =>
    withServer((server) =>
      Effect.gen(function*() {
        yield* server.emulator.seed({ users: [{ emailAddress: ["keep@x.co"] }] })
        const good = (yield* request(server, "GET", "/__emulator/snapshot")).body
        const outline = {
          version: 1,
          state: {
            seq: 1,
            users: [{ id: "user_x", seq: 1 }],
            organizations: [],
            memberships: [],
            invitations: [],
            features: { banning: true, lockout: true }
          }
        }
        const state = good["state"] as { users: Array<Record<string, unknown>> }
        const user = state.users[0]!
        const broken = [
          outline,
          { ...good, state: { ...state, users: [{ ...user, emails: "x" }] } },
          { ...good, state: { ...state, users: [{ ...user, createdAt: 1e300 }] } },
          { ...good, state: { ...state, users: [{ ...user, extra: 1 }] } },
          { ...good, state: { ...state, users: [user, user] } },
          { ...good, version: 2 },
          "not an object"
        ]
        for (const body of broken) {
          const answer = yield* request(server, "POST", "/__emulator/restore", { body: JSON.stringify(body) })
          expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(400)
          const list = yield* request(server, "GET", "/v1/users")
          expect(list.status).toBe(200)
          expect((list.body as unknown as Array<{ id: string }>).map((u) => u.id)).toEqual([user["id"]])
        }
        expect((yield* request(server, "POST", "/__emulator/restore", { body: JSON.stringify(good) })).status).toBe(200)
      })
    ))

  it.live("time: advanceMs a whole, non-negative number; the total offset is bounded; reset undoes it", () =>
    withServer((server) =>
      Effect.gen(function*() {
        for (
          const body of [
            "{\"advanceMs\": 1e309}",
            "{\"advanceMs\": -1}",
            "{\"advanceMs\": 1.5}",
            "{\"advanceMs\": \"5\"}",
            "{}",
            "{\"advanceMs\": 1e300}"
          ]
        ) {
          const answer = yield* request(server, "POST", "/__emulator/time", { body })
          expect(answer.status, body).toBe(400)
        }
        const year = 365 * 24 * 3600 * 1000
        expect(
          (yield* request(server, "POST", "/__emulator/time", { body: JSON.stringify({ advanceMs: 60 * year }) }))
            .status
        )
          .toBe(200)
        // 60 + 60 years passes the 100-year bound on the total
        expect(
          (yield* request(server, "POST", "/__emulator/time", { body: JSON.stringify({ advanceMs: 60 * year }) }))
            .status
        )
          .toBe(400)
        const before = Date.now()
        const moved = yield* request(server, "POST", "/v1/users", {
          body: JSON.stringify({ email_address: ["t@x.co"] })
        })
        expect(moved.body["created_at"] as number).toBeGreaterThan(before + 59 * year)
        expect((yield* request(server, "POST", "/__emulator/reset")).status).toBe(200)
        const after = yield* request(server, "POST", "/v1/users", {
          body: JSON.stringify({ email_address: ["t@x.co"] })
        })
        expect(after.body["created_at"] as number).toBeLessThan(before + year)
        expect(
          (yield* request(server, "POST", "/__emulator/time", { body: JSON.stringify({ advanceMs: 60 * year }) }))
            .status
        )
          .toBe(200)
      })
    ))

  it.live("faults: a real error status, a probability in 0..1, bounded counts, a known operation", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const bad = [
          ...[100, 101, 204, 304, 200, 302, 99, 600, 503.5].map((status) => ({ action: { _tag: "Status", status } })),
          { probability: 1.5, action: { _tag: "Refuse" } },
          { probability: -0.1, action: { _tag: "Refuse" } },
          ...[0, -1, 1.5, 1e9].map((times) => ({ times, action: { _tag: "Refuse" } })),
          { operation: "Users.nope", action: { _tag: "Refuse" } },
          { action: { _tag: "Latency", delay: 1e12 } },
          { action: { _tag: "Status", status: 503, retryAfter: -5 } },
          { action: { _tag: "Refuse" }, extra: true }
        ]
        for (const body of bad) {
          const answer = yield* request(server, "POST", "/__emulator/faults", { body: JSON.stringify(body) })
          expect(answer.status, JSON.stringify(body)).toBe(400)
          expect(codeOf(answer)).toBe("form_param_format_invalid")
        }
        expect((yield* request(server, "GET", "/v1/users")).status).toBe(200)
      })
    ))

  it.live("rate limit: limit ≥ 1 and window > 0, whole numbers, given together", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const bad = [
          { enabled: true, limit: 0, windowMs: 1000 },
          { enabled: true, limit: -1, windowMs: 1000 },
          { enabled: true, limit: 1.5, windowMs: 1000 },
          { enabled: true, limit: 10, windowMs: 0 },
          { enabled: true, limit: 10 },
          { enabled: "yes" }
        ]
        for (const body of bad) {
          expect((yield* request(server, "POST", "/__emulator/rate-limit", { body: JSON.stringify(body) })).status)
            .toBe(400)
        }
        for (let i = 0; i < 5; i++) expect((yield* request(server, "GET", "/v1/users")).status).toBe(200)
        const one = { enabled: true, limit: 1, windowMs: 60_000 }
        expect((yield* request(server, "POST", "/__emulator/rate-limit", { body: JSON.stringify(one) })).status).toBe(
          200
        )
        expect((yield* request(server, "GET", "/v1/users")).status).toBe(200)
        const limited = yield* request(server, "GET", "/v1/users")
        expect(limited.status).toBe(429)
        expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1)
      })
    ))

  it.live("seed: bad JSON, unknown keys, metadata past 8 KB or 5,000 levels, times that are not whole ms → 400; unknown paths 404, wrong methods 405", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const badJson = yield* request(server, "POST", "/__emulator/seed", { body: "{\"users\": [" })
        expect(badJson.status).toBe(400)
        expect(codeOf(badJson)).toBe("malformed_request_body")
        expect(badJson.body.errors?.[0]?.long_message).toMatch(/not JSON/)
        const unknownKey = yield* request(server, "POST", "/__emulator/seed", {
          body: JSON.stringify({ users: [{ emailAdress: ["a@b.co"] }] })
        })
        expect(unknownKey.status).toBe(400)
        expect(unknownKey.body.errors?.[0]?.long_message).toContain("emailAdress")
        const deep = `${"{\"a\":".repeat(5000)}1${"}".repeat(5000)}`
        for (
          const user of [
            `{"publicMetadata":${deep}}`,
            `{"privateMetadata":{"blob":"${"x".repeat(9000)}"}}`,
            `{"createdAt":1.5}`,
            `{"createdAt":1e300}`,
            `{"lastSignInAt":-1}`
          ]
        ) {
          const answer = yield* request(server, "POST", "/__emulator/seed", { body: `{"users":[${user}]}` })
          expect(answer.status, user.slice(0, 60)).toBe(400)
        }
        expect(yield* server.emulator.users).toEqual([])
        expect((yield* request(server, "GET", "/v1/users")).status).toBe(200)
        expect((yield* request(server, "GET", "/__emulator/nothing")).status).toBe(404)
        expect((yield* request(server, "GET", "/__emulator/reset")).status).toBe(405)
        expect((yield* request(server, "GET", "/__emulator/users/%ZZ/totp")).status).toBe(404)
        expect((yield* request(server, "POST", "/__emulator/reset", { body: "{\"x\":1}" })).status).toBe(400)
      })
    ))
})

describe("EmulatorServer: methods and paths no client should send", () => {
  it.live("TRACE → 405, a bad percent-encoding in an id → 404, both in Clerk's envelope", () =>
    withServer((server) =>
      Effect.gen(function*() {
        for (const method of ["TRACE", "PROPFIND", "PURGE"]) {
          const answer = yield* request(server, method, "/v1/users")
          expect(answer.status, method).toBe(405)
          expect(codeOf(answer)).toBe("method_not_allowed")
        }
        for (const path of ["/v1/users/%ZZ", "/v1/users/%E0%A4%A", "/__emulator/users/%ZZ/totp"]) {
          const answer = yield* request(server, "GET", path)
          expect(answer.status, path).toBe(404)
          expect(codeOf(answer)).toBe("resource_not_found")
        }
      })
    ))
})

describe("EmulatorServer: shutdown", () => {
  it.live("closing with 20 requests in flight lets all 20 finish", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } }).pipe(
        Scope.extend(scope)
      )
      yield* server.emulator.injectFault({ action: { _tag: "Latency", delay: "300 millis" } })
      let sent = 0
      const inFlight = yield* Effect.forkAll(
        Array.from({ length: 20 }, () => Effect.exit(request(server, "GET", "/v1/users", { onSent: () => sent++ })))
      )
      // all 20 written, and one more answered after them: the server has taken all 20 in
      while (sent < 20) yield* Effect.sleep("10 millis")
      expect((yield* request(server, "GET", "/__emulator/health")).status).toBe(200)
      yield* Scope.close(scope, Exit.void)
      const answers = yield* inFlight.await
      if (!Exit.isSuccess(answers)) return expect.unreachable()
      expect(answers.value.map((a) => (Exit.isSuccess(a) ? a.value.status : "reset"))).toEqual(Array(20).fill(200))
    }))

  it.live("requests still running past shutdownTimeout are cut, and closing completes", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const server = yield* EmulatorServer.serve({ port: 0, shutdownTimeout: "100 millis" }).pipe(Scope.extend(scope))
      yield* server.emulator.injectFault({ action: { _tag: "Latency", delay: "1 hour" } })
      const slow = yield* Effect.fork(
        Effect.either(Effect.tryPromise(() => fetch(`${server.url}/v1/users`, { headers: { authorization: "x" } })))
      )
      yield* Effect.sleep("100 millis")
      yield* Scope.close(scope, Exit.void)
      const outcome = yield* slow.await
      if (!Exit.isSuccess(outcome)) return expect.unreachable()
      expect(outcome.value._tag).toBe("Left")
    }))
})

describe("EmulatorServer: restore refuses what the API's own writers refuse", () => {
  it.live("a TOTP secret that is not base32, an identifier held twice, a membership of an unknown user: 400 naming the field, nothing changes", () =>
    withServer((server) =>
      Effect.gen(function*() {
        yield* server.emulator.seed({
          users: [
            { id: "user_t", emailAddress: ["t@x.co"], totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP" },
            { id: "user_u", emailAddress: ["u@x.co"] }
          ],
          organizations: [{ id: "org_o", name: "O", members: [{ userId: "user_t" }] }]
        })
        const good = (yield* request(server, "GET", "/__emulator/snapshot")).body
        const state = good["state"] as {
          users: Array<Record<string, unknown> & { emails: Array<Record<string, unknown>> }>
          memberships: Array<Record<string, unknown>>
        }
        const [t, u] = state.users[0]!.id === "user_t" ? state.users : [...state.users].reverse()
        const cases: Array<readonly [unknown, string]> = [
          [{ ...good, state: { ...state, users: [{ ...t!, totpSecret: "!!!" }, u] } }, "totpSecret"],
          [
            { ...good, state: { ...state, users: [t, { ...u!, emails: [{ ...u!.emails[0]!, value: "T@x.co" }] }] } },
            "emails"
          ],
          [
            { ...good, state: { ...state, memberships: [{ ...state.memberships[0]!, userId: "user_nobody" }] } },
            "userId"
          ]
        ]
        for (const [body, field] of cases) {
          const answer = yield* request(server, "POST", "/__emulator/restore", { body: JSON.stringify(body) })
          expect(answer.status).toBe(400)
          expect(answer.body.errors?.[0]?.long_message).toContain(field)
        }
        const refused = yield* request(server, "POST", "/__emulator/restore", { body: JSON.stringify(cases[0]![0]) })
        expect(refused.body.errors?.[0]?.long_message).toContain("is not a base32 TOTP secret")
        // nothing changed: the stored secret still gives codes, and verifies them
        const totp = yield* request(server, "GET", "/__emulator/users/user_t/totp")
        expect(totp.status).toBe(200)
        const verify = yield* request(server, "POST", "/v1/users/user_t/verify_totp", {
          body: JSON.stringify({ code: totp.body["code"] })
        })
        expect(verify.status).toBe(200)
        expect(verify.body["verified"]).toBe(true)
      })
    ))
})

describe("EmulatorServer: seeding never replaces", () => {
  it.live("an existing user id, an id given twice, a member who is no user, an id like ../x: 400 naming the field", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const seed = (body: unknown) => request(server, "POST", "/__emulator/seed", { body: JSON.stringify(body) })
        expect((yield* seed({ users: [{ id: "user_a", firstName: "Ada" }] })).status).toBe(200)
        const cases: Array<readonly [unknown, string]> = [
          [{ users: [{ id: "user_a", firstName: "Mallory" }] }, "users[0].id"],
          [{ users: [{ id: "user_b" }, { id: "user_b" }] }, "users[1].id"],
          [{ organizations: [{ name: "O", members: [{ userId: "user_nobody" }] }] }, "members[0].userId"],
          [{ users: [{ id: "../../x" }] }, "users[0].id"]
        ]
        for (const [body, field] of cases) {
          const answer = yield* seed(body)
          expect(answer.status).toBe(400)
          expect(answer.body.errors?.[0]?.long_message).toContain(field)
        }
        const list = yield* request(server, "GET", "/v1/users")
        expect((list.body as unknown as Array<{ id: string; first_name: string }>).map((u) => [u.id, u.first_name]))
          .toEqual([["user_a", "Ada"]])
      })
    ))
})

describe("EmulatorServer: created_at is any RFC 3339 date-time, and a snapshot holds every state the API makes", () => {
  it.live("a user created in year 1 survives snapshot → restore; impossible dates are refused with 422", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const created = yield* request(server, "POST", "/v1/users", {
          body: JSON.stringify({ created_at: "0001-01-01T00:00:00Z", legal_accepted_at: "1969-12-31T23:59:59Z" })
        })
        expect(created.status).toBe(200)
        expect(created.body["created_at"]).toBe(-62135596800000)
        const snapshot = yield* request(server, "GET", "/__emulator/snapshot")
        yield* request(server, "POST", "/__emulator/reset", { body: "{}" })
        const restored = yield* request(server, "POST", "/__emulator/restore", { body: JSON.stringify(snapshot.body) })
        expect(restored.status).toBe(200)
        const user = yield* request(server, "GET", `/v1/users/${String(created.body["id"])}`)
        expect(user.body["created_at"]).toBe(-62135596800000)
        expect(user.body["legal_accepted_at"]).toBe(-1000)
        for (
          const date of [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00+24:00",
            "Jan 1 2024",
            "2024-01-01",
            "+275760-09-13T00:00:00Z"
          ]
        ) {
          const refused = yield* request(server, "POST", "/v1/users", { body: JSON.stringify({ created_at: date }) })
          expect(refused.status, date).toBe(422)
          expect(refused.body.errors?.[0]?.code, date).toBe("form_param_format_invalid")
        }
        const leapDay = yield* request(server, "POST", "/v1/users", {
          body: JSON.stringify({ created_at: "2024-02-29T23:59:59.5+14:00" })
        })
        expect(leapDay.body["created_at"]).toBe(Date.UTC(2024, 1, 29, 9, 59, 59, 500))
      })
    ))
})

describe("EmulatorServer: dot segments are not navigation", () => {
  it.live("`..` and `.` in a path, encoded or not: 404 in Clerk's envelope, never the resource they would resolve to", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const { users } = yield* server.emulator.seed({ users: [{ id: "user_dots", emailAddress: ["d@x.co"] }] })
        expect((yield* request(server, "GET", `/v1/users/${users[0]!.id}`)).status).toBe(200)
        for (
          const path of [
            "/v1/users/user_dots/oauth_access_tokens/%2e%2e",
            "/v1/users/user_dots/oauth_access_tokens/%2E.",
            "/v1/users/user_dots/oauth_access_tokens/..",
            "/v1/users/user_dots/x/../",
            "/v1/users/./user_dots",
            "/v1/users/%2e/user_dots?limit=1",
            "/v1/users/user_dots/x\\..",
            "/__emulator/users/x/%2e%2e/user_dots/totp"
          ]
        ) {
          const answer = yield* request(server, "GET", path)
          expect(answer.status, path).toBe(404)
          expect(codeOf(answer), path).toBe("resource_not_found")
        }
      })
    ))
})
