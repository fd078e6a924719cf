import { verifyWebhook } from "@clerk/backend/webhooks"
import type { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Models, Users, Webhooks } from "@effect-clerk/users"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Webhook } from "standardwebhooks"

/** What an endpoint received. */
interface Received {
  readonly id: string
  readonly timestamp: number
  readonly signature: string
  readonly body: string
  readonly headers: Headers
  readonly type: string
}

const receive = async (request: Request): Promise<Received> => {
  const body = await request.text()
  return {
    id: request.headers.get("svix-id") ?? "",
    timestamp: Number(request.headers.get("svix-timestamp")),
    signature: request.headers.get("svix-signature") ?? "",
    body,
    headers: request.headers,
    type: (JSON.parse(body) as { type: string }).type
  }
}

/** An in-process endpoint whose answers are given by `status` (default 204), collecting what arrives. */
const collector = (status: (received: Received, index: number) => number = () => 204) =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<Received>()
    const all: Array<Received> = []
    const emulator = yield* ClerkEmulator
    const endpoint = yield* emulator.addWebhookEndpoint({
      handler: async (request) => {
        const received = await receive(request)
        all.push(received)
        queue.unsafeOffer(received)
        return new Response(`answer ${all.length}`, { status: status(received, all.length - 1) })
      }
    })
    return { queue, all, endpoint, take: Queue.take(queue) }
  })

/** Polls on real time (the TestClock stands still) until `check` holds: deliveries run in their own fibers. */
const eventually = <A, R>(read: Effect.Effect<A, never, R>, check: (a: A) => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 500; i++) {
      const value = yield* read
      if (check(value)) return value
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
    }
    return yield* Effect.dieMessage("condition never held")
  })

const deliveries = Effect.flatMap(ClerkEmulator, (e) => e.webhookDeliveries)

/** Real time on the TestClock, so `verifyWebhook` (which reads `Date.now()`) finds the timestamp fresh. */
const realTime = TestClock.setTime(Date.now())

const requestOf = (r: Received, changes: { body?: string; timestamp?: number } = {}) =>
  new Request("http://app.local/api/webhooks", {
    method: "POST",
    headers: {
      "svix-id": r.id,
      "svix-timestamp": String(changes.timestamp ?? r.timestamp),
      "svix-signature": r.signature,
      "content-type": "application/json"
    },
    body: changes.body ?? r.body
  })

describe("webhooks: interop with Clerk's own verification", () => {
  it.effect("@clerk/backend's verifyWebhook accepts a delivery; a tampered body, an old timestamp, a wrong secret are refused", () =>
    Effect.gen(function*() {
      yield* realTime
      const { endpoint, take } = yield* collector()
      const created = yield* Users.create({ emailAddress: ["ada@example.com"], firstName: "Ada", externalId: "ext-1" })
      const received = yield* take
      const signingSecret = Redacted.value(endpoint.secret)
      expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
      expect(received.headers.get("content-type")).toBe("application/json")
      expect(received.id).toMatch(/^msg_[0-9A-Za-z]{27}$/)
      expect(received.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)

      const event = yield* Effect.promise(() => verifyWebhook(requestOf(received), { signingSecret }))
      expect(event.type).toBe("user.created")
      expect(event.object).toBe("event")
      expect(event.instance_id).toMatch(/^ins_/)
      expect(event.event_attributes.http_request).toEqual({ client_ip: "127.0.0.1", user_agent: expect.any(String) })
      // data is the user in wire form, exactly as GET /users/{id} answers (decoded: the same User)
      const data = yield* Schema.decodeUnknown(Models.User)(event.data)
      expect(data).toEqual(yield* Users.get(created.id))
      expect(event.data).toMatchObject({ id: created.id, first_name: "Ada", external_id: "ext-1" })

      const refused = (request: Request, secret = signingSecret) =>
        Effect.promise(() => verifyWebhook(request, { signingSecret: secret }).then(() => "accepted", () => "refused"))
      expect(yield* refused(requestOf(received, { body: received.body.replace("Ada", "Eve") }))).toBe("refused")
      expect(yield* refused(requestOf(received, { timestamp: received.timestamp - 10 * 60 }))).toBe("refused")
      expect(yield* refused(requestOf(received), `whsec_${Buffer.alloc(24, 7).toString("base64")}`)).toBe("refused")
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("a given secret signs (the reference library verifies with it); user.deleted is Clerk's deleted object", () =>
    Effect.gen(function*() {
      yield* realTime
      const emulator = yield* ClerkEmulator
      const secret = `whsec_${Buffer.alloc(24, 1).toString("base64")}`
      const queue = yield* Queue.unbounded<Received>()
      const endpoint = yield* emulator.addWebhookEndpoint({
        secret: Redacted.make(secret),
        events: ["user.deleted"],
        handler: (request) =>
          Effect.promise(() => receive(request)).pipe(
            Effect.tap((r) => Queue.offer(queue, r)),
            Effect.as(new Response(null, { status: 200 }))
          )
      })
      expect(Redacted.value(endpoint.secret)).toBe(secret)
      const user = yield* Users.create({ emailAddress: ["gone@example.com"], externalId: "ext-gone" })
      yield* Users.delete(user.id)
      const received = yield* Queue.take(queue)
      const payload = new Webhook(secret).verify(received.body, {
        "webhook-id": received.id,
        "webhook-timestamp": String(received.timestamp),
        "webhook-signature": received.signature
      })
      expect(payload).toMatchObject({
        type: "user.deleted",
        object: "event",
        data: { deleted: true, id: user.id, object: "user", external_id: "ext-gone" }
      })
    }).pipe(Effect.provide(ClerkTest.layer)))
})

describe("webhooks: delivery as Svix does it", () => {
  it.effect("an HttpApp endpoint in-process: Users.create → the emulator → the app sees user.created with the same User", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const seen = yield* Queue.unbounded<Models.User>()
      const app = Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const body = (yield* request.json) as { type: string; data: unknown }
        if (body.type === "user.created") yield* Queue.offer(seen, yield* Schema.decodeUnknown(Models.User)(body.data))
        return HttpServerResponse.empty({ status: 204 })
      })
      yield* emulator.addWebhookEndpoint({ handler: app })
      const created = yield* Users.create({ emailAddress: ["pipe@example.com"], username: "pipe" })
      const user = yield* Queue.take(seen)
      expect(user).toEqual(yield* Users.get(created.id))
      const [delivery] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(delivery).toMatchObject({ eventType: "user.created", userId: created.id, status: "succeeded" })
      expect(delivery!.attempts.map((a) => a.status)).toEqual([204])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("a failing handler is retried after TestClock.adjust('5 seconds') with the same svix-id, re-signed", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
      const { endpoint, take } = yield* collector((_, index) => (index === 0 ? 500 : 200))
      yield* Users.create({ emailAddress: ["retry@example.com"] })
      const first = yield* take
      const pending = yield* eventually(
        deliveries,
        (d) => d[0]?.nextAttemptAt !== null && d[0]?.nextAttemptAt !== undefined
      )
      expect(pending[0]!.attempts).toEqual([{
        at: Date.parse("2026-03-01T00:00:00Z"),
        status: 500,
        error: null,
        response: "answer 1"
      }])
      yield* TestClock.adjust("4 seconds")
      expect((yield* deliveries)[0]!.attempts).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      const second = yield* take
      expect(second.id).toBe(first.id)
      expect(second.body).toBe(first.body)
      expect(second.timestamp).toBe(first.timestamp + 5)
      const signer = new Webhook(Redacted.value(endpoint.secret))
      for (const r of [first, second]) {
        expect(r.signature).toBe(signer.sign(r.id, new Date(r.timestamp * 1000), r.body))
      }
      const [done] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(done!.attempts.map((a) => a.status)).toEqual([500, 200])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("Svix's whole schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then failed", () =>
    Effect.gen(function*() {
      const { take } = yield* collector(() => 503)
      yield* Users.create({ emailAddress: ["never@example.com"] })
      yield* take
      for (
        const wait of ["5 seconds", "5 minutes", "30 minutes", "2 hours", "5 hours", "10 hours", "10 hours"] as const
      ) {
        yield* eventually(deliveries, (d) => d[0]?.nextAttemptAt !== null)
        yield* TestClock.adjust(wait)
        yield* take
      }
      const [failed] = yield* eventually(deliveries, (d) => d[0]?.status === "failed")
      expect(failed!.attempts.map((a) => a.at)).toEqual([
        0,
        5_000,
        305_000,
        2_105_000,
        9_305_000,
        27_305_000,
        63_305_000,
        99_305_000
      ])
      expect(failed!.nextAttemptAt).toBeNull()
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("advanceTime (the server's clock) triggers the next attempt too", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { take } = yield* collector((_, index) => (index === 0 ? 500 : 200))
      yield* Users.create({ emailAddress: ["moved@example.com"] })
      const first = yield* take
      yield* eventually(deliveries, (d) => d[0]?.nextAttemptAt !== null)
      yield* emulator.advanceTime("5 seconds")
      expect((yield* take).id).toBe(first.id)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("a handler that never answers times out after 15 s and is retried 5 s later", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      let calls = 0
      yield* emulator.addWebhookEndpoint({
        handler: () => (++calls === 1 ? Effect.never : Effect.succeed(new Response("ok")))
      })
      yield* Users.create({ emailAddress: ["slow@example.com"] })
      yield* eventually(Effect.sync(() => calls), (n) => n === 1)
      yield* TestClock.adjust("15 seconds")
      const [timedOut] = yield* eventually(deliveries, (d) => d[0]?.attempts.length === 1)
      expect(timedOut!.attempts[0]).toMatchObject({ status: null, error: "timeout" })
      yield* TestClock.adjust("5 seconds")
      const [done] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(done!.attempts.map((a) => [a.at, a.status])).toEqual([[0, null], [20_000, 200]])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("first attempts go out in the order of the changes; a failing message does not hold back the next", () =>
    Effect.gen(function*() {
      const { all } = yield* collector((r) => (r.type === "user.created" ? 500 : 200))
      const a = yield* Users.create({ emailAddress: ["a@example.com"] })
      const b = yield* Users.create({ emailAddress: ["b@example.com"] })
      yield* Users.update(a.id, { firstName: "A" })
      yield* Users.bulkBan({ userIds: [a.id, b.id] })
      yield* Users.delete(b.id)
      yield* eventually(Effect.sync(() => all.length), (n) => n === 6)
      const order = all.map((r) => {
        const data = (JSON.parse(r.body) as { data: { id: string } }).data
        return `${r.type} ${data.id === a.id ? "a" : "b"}`
      })
      expect(order).toEqual([
        "user.created a",
        "user.created b",
        "user.updated a",
        "user.updated a",
        "user.updated b",
        "user.deleted b"
      ])
      // one message per change, each with its own id
      expect(new Set(all.map((r) => r.id)).size).toBe(6)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("the event filter: an endpoint for user.deleted gets only deletions; the API call never waits", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const received: Array<string> = []
      const endpoint = yield* emulator.addWebhookEndpoint({
        events: ["user.deleted"],
        handler: async (request) => {
          received.push((await receive(request)).type)
          return new Response(null, { status: 204 })
        }
      })
      expect(endpoint.events).toEqual(["user.deleted"])
      // an endpoint that never answers does not slow the calls down
      yield* emulator.addWebhookEndpoint({ handler: () => new Promise<Response>(() => undefined) })
      const user = yield* Users.create({ emailAddress: ["f@example.com"] })
      yield* Users.update(user.id, { lastName: "F" })
      yield* Users.delete(user.id)
      yield* eventually(Effect.sync(() => received.length), (n) => n === 1)
      expect(received).toEqual(["user.deleted"])
      const log = yield* deliveries
      expect(log.filter((d) => d.endpointId === endpoint.id).map((d) => d.eventType)).toEqual(["user.deleted"])
      expect(log.filter((d) => d.endpointId !== endpoint.id).map((d) => d.status)).toEqual([
        "pending",
        "pending",
        "pending"
      ])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("seeding fires nothing unless asked; reset drops pending deliveries and the log, keeps endpoints", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { all } = yield* collector(() => 500)
      yield* emulator.seed({ users: [{ emailAddress: ["quiet@example.com"] }] })
      expect(yield* deliveries).toEqual([])
      yield* emulator.seed({ users: [{ emailAddress: ["loud@example.com"] }] }, { emit: true })
      yield* eventually(Effect.sync(() => all.length), (n) => n === 1)
      expect(all[0]!.type).toBe("user.created")
      yield* emulator.reset
      expect(yield* deliveries).toEqual([])
      expect(yield* emulator.webhookEndpoints).toHaveLength(1)
      yield* TestClock.adjust("1 hour")
      yield* Users.create({ emailAddress: ["after@example.com"] })
      yield* eventually(Effect.sync(() => all.length), (n) => n === 2)
      // the retry of the message before the reset never came
      expect(all.map((r) => r.type)).toEqual(["user.created", "user.created"])
      expect(all[1]!.id).not.toBe(all[0]!.id)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("endpoints are listed and removed; a bad URL or secret is refused", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const endpoint = yield* emulator.addWebhookEndpoint({ url: "http://127.0.0.1:9/hooks" })
      expect(yield* emulator.webhookEndpoints).toEqual([{
        id: endpoint.id,
        url: "http://127.0.0.1:9/hooks",
        events: ["user.created", "user.updated", "user.deleted"],
        secret: endpoint.secret
      }])
      expect(String(endpoint.secret)).not.toContain("whsec_")
      yield* Users.create({ emailAddress: ["pending@example.com"] })
      expect((yield* deliveries).map((d) => d.status)).toEqual(["pending"])
      expect(yield* emulator.removeWebhookEndpoint(endpoint.id)).toBe(true)
      // its pending deliveries stop: failed, nothing due
      expect((yield* deliveries).map((d) => [d.status, d.nextAttemptAt])).toEqual([["failed", null]])
      expect(yield* emulator.removeWebhookEndpoint(endpoint.id)).toBe(false)
      expect(yield* emulator.webhookEndpoints).toEqual([])
      for (const bad of [{ url: "ftp://x/" }, { url: "not a url" }, { url: "http://x/", secret: "whsec_%%%" }]) {
        const error = yield* Effect.flip(emulator.addWebhookEndpoint(bad))
        expect(error._tag).toBe("InvalidWebhookEndpoint")
      }
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("closing the emulator's scope stops its deliveries", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(ClerkEmulator.make({ rateLimit: false }), scope)
      let calls = 0
      yield* emulator.addWebhookEndpoint({
        handler: () => {
          calls++
          return new Response(null, { status: 500 })
        }
      })
      yield* emulator.seed({ users: [{ emailAddress: ["s@example.com"] }] }, { emit: true })
      yield* eventually(emulator.webhookDeliveries, (d) => d[0]?.nextAttemptAt !== null)
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("1 day")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      expect(calls).toBe(1)
    }))
})

/** A local HTTP endpoint on 127.0.0.1 collecting what arrives. */
const localEndpoint = (port = 0, status = 200) =>
  Effect.acquireRelease(
    Effect.async<
      { server: http.Server; url: string; received: Array<{ headers: http.IncomingHttpHeaders; body: string }> }
    >(
      (resume) => {
        const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = []
        const server = http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (c: Buffer) => chunks.push(c))
          req.on("end", () => {
            received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") })
            res.writeHead(status, { "content-type": "text/plain" })
            res.end("x".repeat(2000))
          })
        })
        server.listen(port, "127.0.0.1", () => {
          const address = server.address() as AddressInfo
          resume(Effect.succeed({ server, url: `http://127.0.0.1:${address.port}/webhooks`, received }))
        })
      }
    ),
    ({ server }) =>
      Effect.async<undefined>((resume) => {
        server.close(() => resume(Effect.succeed(undefined)))
      })
  )

describe("webhooks over the network", () => {
  it.scoped("a URL endpoint gets a real POST; the log keeps 500 characters of the answer", () =>
    Effect.gen(function*() {
      yield* realTime
      const local = yield* localEndpoint()
      const emulator = yield* ClerkEmulator
      const endpoint = yield* emulator.addWebhookEndpoint({ url: local.url })
      const user = yield* Users.create({ emailAddress: ["net@example.com"] })
      const [delivery] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(delivery!.attempts[0]!.response).toBe("x".repeat(500))
      const { headers, body } = local.received[0]!
      const event = yield* Effect.promise(() =>
        verifyWebhook(
          new Request(local.url, {
            method: "POST",
            headers: {
              "svix-id": String(headers["svix-id"]),
              "svix-timestamp": String(headers["svix-timestamp"]),
              "svix-signature": String(headers["svix-signature"])
            },
            body
          }),
          { signingSecret: Redacted.value(endpoint.secret) }
        )
      )
      expect(event.type).toBe("user.created")
      expect((event.data as { id: string }).id).toBe(user.id)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.scoped("a refused connection is recorded and retried; the next attempt reaches the endpoint once it listens", () =>
    Effect.gen(function*() {
      // a port that was free a moment ago
      const probe = yield* Effect.scoped(localEndpoint())
      const port = Number(new URL(probe.url).port)
      const emulator = yield* ClerkEmulator
      yield* emulator.addWebhookEndpoint({ url: `http://127.0.0.1:${port}/webhooks` })
      yield* Users.create({ emailAddress: ["refused@example.com"] })
      const [refused] = yield* eventually(
        deliveries,
        (d) => d[0]?.attempts.length === 1 && d[0]?.nextAttemptAt !== null
      )
      expect(refused!.attempts[0]!.status).toBeNull()
      expect(refused!.attempts[0]!.error).toContain("ECONNREFUSED")
      const local = yield* localEndpoint(port, 204)
      yield* TestClock.adjust("5 seconds")
      const [done] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(done!.attempts.map((a) => a.status)).toEqual([null, 204])
      expect(local.received).toHaveLength(1)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.live("EmulatorServer.serve({ webhooks }) delivers to a local URL; /__emulator/webhooks adds, lists, removes", () =>
    Effect.gen(function*() {
      const local = yield* localEndpoint()
      const other = yield* localEndpoint()
      const server = yield* EmulatorServer.serve({ port: 0, webhooks: [local.url] })
      const signingSecret = Redacted.value(server.webhookSecret!)
      const call = (method: string, path: string, body?: unknown) =>
        Effect.promise(async () => {
          const response = await fetch(`${server.url}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${server.secretKey}`,
              "content-type": "application/json",
              "user-agent": "my-backend/1.0"
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
          })
          return { status: response.status, json: (await response.json()) as unknown }
        })

      const added = yield* call("POST", "/__emulator/webhooks", { url: other.url, events: ["user.deleted"] })
      expect(added.status).toBe(200)
      const second = added.json as { id: string; secret: string; events: Array<string>; url: string }
      expect(second).toMatchObject({
        url: other.url,
        events: ["user.deleted"],
        secret: expect.stringMatching(/^whsec_/)
      })
      const list = (yield* call("GET", "/__emulator/webhooks")).json as Array<{ url: string; secret: string }>
      expect(list.map((e) => [e.url, e.secret])).toEqual([[local.url, signingSecret], [other.url, second.secret]])
      expect((yield* call("POST", "/__emulator/webhooks", { url: "ftp://x" })).status).toBe(400)
      expect((yield* call("POST", "/__emulator/webhooks", { url: local.url, events: ["session.created"] })).status)
        .toBe(400)

      const created = (yield* call("POST", "/v1/users", { email_address: ["srv@example.com"] })).json as { id: string }
      yield* call("DELETE", `/v1/users/${created.id}`)
      yield* eventually(Effect.sync(() => local.received.length + other.received.length), (n) => n === 3)
      expect(local.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        "user.created",
        "user.deleted"
      ])
      const { body, headers } = local.received[0]!
      const event = yield* Effect.promise(() =>
        verifyWebhook(
          new Request(local.url, {
            method: "POST",
            headers: {
              "svix-id": String(headers["svix-id"]),
              "svix-timestamp": String(headers["svix-timestamp"]),
              "svix-signature": String(headers["svix-signature"])
            },
            body
          }),
          { signingSecret }
        )
      )
      expect(event.event_attributes.http_request.user_agent).toBe("my-backend/1.0")
      expect((JSON.parse(other.received[0]!.body) as { data: unknown }).data).toEqual({
        deleted: true,
        id: created.id,
        object: "user"
      })

      const log = yield* eventually(
        Effect.map(call("GET", "/__emulator/webhooks/deliveries"), (r) => r.json as Array<{ status: string }>),
        (d) => d.length === 3 && d.every((x) => x.status === "succeeded")
      )
      expect(log.map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"])
      expect((yield* call("DELETE", `/__emulator/webhooks/${second.id}`)).status).toBe(200)
      expect((yield* call("DELETE", `/__emulator/webhooks/${second.id}`)).status).toBe(404)
      expect(((yield* call("GET", "/__emulator/webhooks")).json as Array<unknown>).length).toBe(1)
    }).pipe(Effect.scoped))
})

describe("webhooks: the SDK's side (Webhooks) receiving the emulator's deliveries", () => {
  const secret = Redacted.make(`whsec_${Buffer.alloc(24, 42).toString("base64")}`)
  const WebhooksLive = Webhooks.layer({ secret })

  it.effect("the whole pipeline in-process: Users.create → the emulator → Webhooks.httpApp → a typed user.created with the same User", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const seen = yield* Queue.unbounded<Webhooks.Message>()
      // the handler's services (ClerkWebhooks here) come from the caller of addWebhookEndpoint
      yield* emulator.addWebhookEndpoint({ secret, handler: Webhooks.httpApp((message) => Queue.offer(seen, message)) })
        .pipe(Effect.provide(WebhooksLive))
      const created = yield* Users.create({ emailAddress: ["sdk@example.com"], firstName: "Sdk" })
      const { event, id } = yield* Queue.take(seen)
      expect(event._tag).toBe("UserCreated")
      if (event._tag === "UserCreated") expect(event.data).toEqual(yield* Users.get(created.id))
      const [delivery] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(delivery).toMatchObject({ messageId: id, attempts: [{ status: 204 }] })
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("a failing handler answers 500 and is retried after TestClock.adjust('5 seconds'), same message id", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const ids: Array<string> = []
      yield* emulator.addWebhookEndpoint({
        secret,
        handler: Webhooks.httpApp((message) => {
          ids.push(message.id)
          return ids.length === 1 ? Effect.fail("the database is down") : Effect.void
        })
      }).pipe(Effect.provide(WebhooksLive))
      yield* Users.create({ emailAddress: ["down@example.com"] })
      yield* eventually(deliveries, (d) => d[0]?.nextAttemptAt !== null && d[0]?.attempts.length === 1)
      expect((yield* deliveries)[0]!.attempts[0]!.status).toBe(500)
      yield* TestClock.adjust("5 seconds")
      const [done] = yield* eventually(deliveries, (d) => d[0]?.status === "succeeded")
      expect(done!.attempts.map((a) => [a.at, a.status])).toEqual([[0, 500], [5_000, 204]])
      expect(ids).toHaveLength(2)
      expect(ids[1]).toBe(ids[0])
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("Webhooks.verify accepts a delivery and refuses it under another endpoint's secret", () =>
    Effect.gen(function*() {
      const { endpoint, take } = yield* collector()
      yield* Users.create({ emailAddress: ["v@example.com"] })
      const received = yield* take
      const message = yield* Webhooks.verify(received.body, received.headers).pipe(
        Effect.provide(Webhooks.layer({ secret: endpoint.secret }))
      )
      expect(message.id).toBe(received.id)
      expect(message.event.type).toBe("user.created")
      const refused = yield* Effect.flip(
        Webhooks.verify(received.body, received.headers).pipe(Effect.provide(WebhooksLive))
      )
      expect(refused._tag).toBe("WebhookInvalidSignature")
    }).pipe(Effect.provide(ClerkTest.layer)))
})

const png = () => new Blob([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], { type: "image/png" })

describe("webhooks: what fires what", () => {
  it.effect(
    "every operation class in the issue's list sends the expected event type, one per user changed",
    () =>
      Effect.gen(function*() {
        const emulator = yield* ClerkEmulator
        yield* emulator.addWebhookEndpoint({ handler: () => new Response(null, { status: 204 }) })
        const { users } = yield* emulator.seed({
          users: [{
            emailAddress: ["ada@example.com"],
            password: "correct horse battery",
            totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP",
            backupCodes: ["one-time-1", "one-time-2"],
            web3Wallet: ["0xABCDEF0123456789abcdef0123456789ABCDEF01"],
            passkeys: [{ name: "laptop" }],
            externalAccounts: [{ provider: "oauth_google", providerUserId: "g-1" }]
          }, { emailAddress: ["grace@example.com"] }]
        })
        const [ada, grace] = [users[0]!.id, users[1]!.id]
        const fired = <A, E, R>(op: Effect.Effect<A, E, R>) =>
          Effect.gen(function*() {
            const before = (yield* deliveries).length
            yield* op
            return (yield* deliveries).slice(before).map((d) =>
              `${d.eventType} ${d.userId === ada ? "ada" : d.userId === grace ? "grace" : d.userId}`
            )
          })
        const updated = ["user.updated ada"]
        const table: ReadonlyArray<
          readonly [string, Effect.Effect<unknown, unknown, ClerkClient>, ReadonlyArray<string>]
        > = [
          ["update", Users.update(ada, { firstName: "Ada" }), updated],
          ["metadata merge", Users.updateMetadata(ada, { publicMetadata: { plan: "pro" } }), updated],
          ["metadata replace", Users.replaceMetadata(ada, { privateMetadata: { note: "x" } }), updated],
          ["ban", Users.ban(ada), updated],
          ["unban", Users.unban(ada), updated],
          ["bulk ban, per user", Users.bulkBan({ userIds: [ada, grace] }), ["user.updated ada", "user.updated grace"]],
          ["bulk unban, per user", Users.bulkUnban({ userIds: [ada, grace] }), [
            "user.updated ada",
            "user.updated grace"
          ]],
          ["lock", Users.lock(ada), updated],
          ["unlock", Users.unlock(ada), updated],
          ["profile image set", Users.setProfileImage(ada, { file: png(), filename: "ada.png" }), updated],
          ["profile image removed", Users.deleteProfileImage(ada), updated],
          ["password marked compromised", Users.setPasswordCompromised(ada), updated],
          ["password unmarked", Users.unsetPasswordCompromised(ada), updated],
          ["password removed", Users.removePassword(ada), updated],
          ["password set", Users.update(ada, { password: "a new long passphrase" }), updated],
          ["backup code used", Users.verifyTotp(ada, { code: "one-time-1" }), updated],
          ["backup codes removed", Users.deleteBackupCodes(ada), updated],
          ["TOTP removed", Users.deleteTOTP(ada), updated],
          ["TOTP set", Users.update(ada, { totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP" }), updated],
          ["MFA disabled", Users.disableMfa(ada), updated],
          ["create", Users.create({ emailAddress: ["new@example.com"] }), ["user.created"]],
          ["a read", Users.get(ada), []],
          ["a refused change", Effect.either(Users.update("user_missing", { firstName: "x" })), []],
          ["delete", Users.delete(grace), ["user.deleted grace"]]
        ]
        for (const [name, op, expected] of table) {
          const got = yield* fired(op)
          expect({ name, got: got.map((g) => g.replace(/ user_\w+$/, "")) }).toEqual({ name, got: expected })
        }
        const current = yield* Users.get(ada)
        expect(yield* fired(Users.deletePasskey(ada, current.passkeys![0]!.id!))).toEqual(updated)
        expect(yield* fired(Users.deleteWeb3Wallet(ada, current.web3Wallets[0]!.id!))).toEqual(updated)
        expect(yield* fired(Users.deleteExternalAccount(ada, current.externalAccounts[0]!.id))).toEqual(updated)
      }).pipe(Effect.provide(ClerkTest.layer)),
    120_000
  )
})

describe("webhooks: svix-timestamp a receiver accepts (webhookTimestamps)", () => {
  const secret = Redacted.make(`whsec_${Buffer.alloc(24, 9).toString("base64")}`)
  const clerkBackend = (r: Received) =>
    Effect.promise(() =>
      verifyWebhook(requestOf(r), { signingSecret: Redacted.value(secret) }).then(() => "accepted", (e) => String(e))
    )
  const sdk = (r: Received) =>
    Webhooks.verify(r.body, r.headers).pipe(
      Effect.provide(Webhooks.layer({ secret })),
      Effect.match({ onFailure: (e) => e.message, onSuccess: () => "accepted" })
    )
  const endpoint = (status: (index: number) => number) =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const queue = yield* Queue.unbounded<Received>()
      let n = 0
      yield* emulator.addWebhookEndpoint({
        secret,
        handler: async (request) => {
          queue.unsafeOffer(await receive(request))
          return new Response(null, { status: status(n++) })
        }
      })
      return Queue.take(queue)
    })

  it.effect("in-process default (\"clock\"): signed on the TestClock, so Webhooks.verify accepts, even after advanceTime", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const take = yield* endpoint((i) => (i === 0 ? 500 : 204))
      yield* Users.create({ emailAddress: ["clock@example.com"] })
      const first = yield* take
      expect(first.timestamp).toBe(0)
      expect(yield* sdk(first)).toBe("accepted")
      yield* eventually(deliveries, (d) => d[0]?.nextAttemptAt !== null)
      yield* emulator.advanceTime("3 hours") // the emulator's time moves; the test's Clock does not
      const retry = yield* take
      expect(retry.timestamp).toBe(0)
      expect(yield* sdk(retry)).toBe("accepted")
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("in-process \"wall\": signed with Date.now under a TestClock at 0, so @clerk/backend's verifyWebhook accepts", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const take = yield* endpoint((i) => (i === 0 ? 500 : 204))
      yield* Users.create({ emailAddress: ["wall@example.com"] })
      const first = yield* take
      expect(Math.abs(first.timestamp - Date.now() / 1000)).toBeLessThan(60)
      expect(yield* clerkBackend(first)).toBe("accepted")
      yield* eventually(deliveries, (d) => d[0]?.nextAttemptAt !== null)
      yield* TestClock.adjust("2 hours")
      yield* emulator.advanceTime("3 hours")
      const retry = yield* take
      expect(retry.id).toBe(first.id)
      expect(yield* clerkBackend(retry)).toBe("accepted")
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { webhookTimestamps: "wall" } }))))

  it.live("over HTTP: retries after POST /__emulator/time are signed with wall time; both verifiers accept them", () =>
    Effect.gen(function*() {
      const local = yield* localEndpoint(0, 500)
      const server = yield* EmulatorServer.serve({ port: 0, webhooks: [local.url], webhookSecret: secret })
      const call = (path: string, body: unknown) =>
        Effect.promise(() =>
          fetch(`${server.url}${path}`, {
            method: "POST",
            headers: { authorization: `Bearer ${server.secretKey}`, "content-type": "application/json" },
            body: JSON.stringify(body)
          }).then((r) => r.status)
        )
      expect(yield* call("/v1/users", { email_address: ["http@example.com"] })).toBe(200)
      yield* eventually(Effect.sync(() => local.received.length), (n) => n === 1)
      expect(yield* call("/__emulator/time", { advanceMs: 3 * 3600_000 })).toBeLessThan(300)
      // 5 s, 5 min, 30 min and 2 h are due: four retries, each signed now (wall time), not 3 hours ahead
      yield* eventually(Effect.sync(() => local.received.length), (n) => n >= 2)
      for (const { headers, body } of local.received) {
        const r: Received = {
          id: String(headers["svix-id"]),
          timestamp: Number(headers["svix-timestamp"]),
          signature: String(headers["svix-signature"]),
          body,
          headers: new Headers(headers as Record<string, string>),
          type: "user.created"
        }
        expect(Math.abs(r.timestamp - Date.now() / 1000)).toBeLessThan(60)
        expect(yield* clerkBackend(r)).toBe("accepted")
        expect(yield* sdk(r)).toBe("accepted")
      }
    }).pipe(Effect.scoped))
})

describe("webhooks: endpoint filters and secrets, the same in-process and over HTTP", () => {
  it.effect("an unknown event type is refused in-process; events [] (like no events) means every type", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const handler = () => new Response(null, { status: 204 })
      const unknownTypes = ["user.nope"] as unknown as ReadonlyArray<ClerkEmulator.WebhookEventType>
      const error = yield* Effect.flip(emulator.addWebhookEndpoint({ handler, events: unknownTypes }))
      expect(error).toMatchObject({ _tag: "InvalidWebhookEndpoint" })
      expect(error.message).toContain("\"user.nope\"")
      const mixed = ["user.created", "session.created"] as unknown as ReadonlyArray<ClerkEmulator.WebhookEventType>
      expect(Exit.isFailure(yield* Effect.exit(emulator.addWebhookEndpoint({ handler, events: mixed })))).toBe(true)
      expect(yield* emulator.webhookEndpoints).toEqual([])
      const all = ["user.created", "user.updated", "user.deleted"]
      expect((yield* emulator.addWebhookEndpoint({ handler, events: [] })).events).toEqual(all)
      expect((yield* emulator.addWebhookEndpoint({ handler })).events).toEqual(all)
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.effect("the SDK's secret rule: a short key refused, bare base64 and a trailing newline taken", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const handler = () => new Response(null, { status: 204 })
      const key = Buffer.alloc(24, 3).toString("base64")
      for (const bad of ["whsec_Zm9v", `whsec_${Buffer.alloc(15, 3).toString("base64")}`, "whsec_%%%"]) {
        const error = yield* Effect.flip(emulator.addWebhookEndpoint({ handler, secret: bad }))
        expect(error._tag).toBe("InvalidWebhookEndpoint")
      }
      expect((yield* Effect.flip(emulator.addWebhookEndpoint({ handler, secret: "whsec_Zm9v" }))).message)
        .toContain("at least 16 bytes")
      for (const good of [key, `whsec_${key}\n`]) {
        const endpoint = yield* emulator.addWebhookEndpoint({ handler, secret: good })
        expect(Redacted.value(endpoint.secret)).toBe(good.trim())
      }
    }).pipe(Effect.provide(ClerkTest.layer)))

  it.live("over HTTP: an unknown type is a 400, [] means every type", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      const add = (body: unknown) =>
        Effect.promise(async () => {
          const response = await fetch(`${server.url}/__emulator/webhooks`, {
            method: "POST",
            headers: { authorization: `Bearer ${server.secretKey}`, "content-type": "application/json" },
            body: JSON.stringify(body)
          })
          return { status: response.status, json: (await response.json()) as { events?: Array<string> } }
        })
      expect((yield* add({ url: "http://127.0.0.1:9/x", events: ["user.nope"] })).status).toBe(400)
      expect((yield* add({ url: "http://127.0.0.1:9/x", secret: "whsec_Zm9v" })).status).toBe(400)
      const all = yield* add({ url: "http://127.0.0.1:9/x", events: [] })
      expect(all.status).toBe(200)
      expect(all.json.events).toEqual(["user.created", "user.updated", "user.deleted"])
    }).pipe(Effect.scoped))
})
