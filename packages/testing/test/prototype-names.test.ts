/**
 * Client text that names a property of `Object.prototype` (`__proto__`, `constructor`, `toString`, ...) is an
 * unknown value like any other: never a 500 over HTTP, never a defect in-process.
 */
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as net from "node:net"
import { rawHandlerOf } from "../src/internal/raw.js"
import { type RawRequest, webHandler } from "../src/internal/router.js"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
const orderBys = prototypeNames.flatMap((name) => [name, `-${name}`, `+${name}`])

const twoUsers = { users: [{ emailAddress: ["a@example.com"] }, { emailAddress: ["b@example.com"] }] }

describe("prototype-named client values", () => {
  it.effect("order_by naming a prototype property is Users.list's and Users.stream's typed 422", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      yield* e.seed(twoUsers)
      expect(prototypeNames).toContain("__proto__")
      for (const orderBy of orderBys) {
        const error = yield* Effect.flip(Users.list({ orderBy, limit: 1 }))
        expect(error._tag, orderBy).toBe("UnprocessableEntity")
        const streamed = yield* Effect.flip(Stream.runCollect(Users.stream({ orderBy })))
        expect(streamed._tag, orderBy).toBe("UnprocessableEntity")
      }
      // the same answer as for any unknown field
      expect((yield* Effect.flip(Users.list({ orderBy: "nope" })))._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))

  it.live("over HTTP: GET /v1/users?order_by=<prototype name> answers 422 form_param_value_invalid", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      yield* server.emulator.seed(twoUsers)
      const get = (query: string) =>
        Effect.promise(() =>
          fetch(`${server.url}/v1/users?${query}`, { headers: { authorization: `Bearer ${server.secretKey}` } })
            .then(async (r) => ({ status: r.status, body: await r.json() as { errors: Array<{ code: string }> } }))
        )
      const unknown = yield* get("order_by=nope")
      expect(unknown.status).toBe(422)
      for (const orderBy of orderBys) {
        for (
          const query of [`order_by=${encodeURIComponent(orderBy)}`, `order_by=${encodeURIComponent(orderBy)}&limit=1`]
        ) {
          const answer = yield* get(query)
          expect(answer.status, query).toBe(422)
          expect(answer.body.errors[0]?.code, query).toBe(unknown.body.errors[0]?.code)
        }
      }
    })))
})

/** Sends `head` on a fresh socket and resolves with everything received once the server closes it. */
const rawExchange = (port: number, head: string) =>
  Effect.promise(() =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write(head))
      let received = ""
      socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")))
      socket.on("error", reject)
      socket.on("close", () => resolve(received))
    })
  )

describe("prototype-named request headers", () => {
  it.live("over a real socket, a header named __proto__ (or constructor) is kept as data, and pollutes nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      yield* server.emulator.seed(twoUsers)
      // what the pipeline receives: the web Request the server builds, and the headers the web handler reads from it
      const pipeline = rawHandlerOf(server.emulator)
      expect(pipeline).toBeDefined()
      const seen: { web?: Headers; raw?: RawRequest["headers"] } = {}
      const handle = webHandler((raw: RawRequest) => {
        seen.raw = raw.headers
        return pipeline!(raw)
      })
      Object.assign(server.emulator, {
        handle: (request: Request) => {
          seen.web = request.headers
          return handle(request)
        }
      })
      const value = `{"polluted":"yes"}`
      const answer = yield* rawExchange(
        server.port,
        `GET /v1/users HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.secretKey}\r\n` +
          `__proto__: ${value}\r\nconstructor: c\r\nConnection: close\r\n\r\n`
      )
      expect(answer).toMatch(/^HTTP\/1\.1 200 /)
      expect(seen.web?.get("__proto__")).toBe(value)
      expect(seen.web?.get("constructor")).toBe("c")
      const headers = seen.raw ?? {}
      expect(Object.hasOwn(headers, "__proto__")).toBe(true)
      expect(headers["__proto__"]).toBe(value)
      expect(headers["constructor"]).toBe("c")
      // an absent prototype-named header reads as absent, not as Object.prototype's member
      expect(headers["toString"]).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty("polluted")
    })))
})
