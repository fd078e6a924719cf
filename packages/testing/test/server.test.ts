/**
 * The emulator over a real socket: this SDK through fetch and undici, the test endpoints, faults that really drop
 * connections, the body size limit, and the official `@clerk/backend` client pointed at it with `apiUrl`.
 */
import { createClerkClient } from "@clerk/backend"
import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
import { EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const withServer = <A, E>(f: (server: EmulatorServer.RunningServer) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.flatMap(EmulatorServer.serve({ port: 0, emulator: { validateResponses: true } }), f))

const transports = {
  fetch: FetchHttpClient.layer,
  undici: NodeHttpClient.layerUndici,
  "node:http": NodeHttpClient.layer
} as const

const clientFor = (server: EmulatorServer.RunningServer, http: keyof typeof transports = "fetch") =>
  ClerkClient.layer({ secretKey: Redacted.make(server.secretKey), apiUrl: server.url }).pipe(
    Layer.provide(transports[http])
  )

const admin = (server: EmulatorServer.RunningServer, method: string, path: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${server.url}/__emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: response.status, body: (await response.json()) as unknown }
  })

describe("EmulatorServer over a real socket", () => {
  for (const http of ["fetch", "undici"] as const) {
    it.live(`the SDK through ${http}: create, list, get, typed 404, typed 401`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          const ada = yield* Users.create({ emailAddress: ["ada@example.com"], firstName: "Ada" })
          expect((yield* Users.list({ emailAddress: ["ada@example.com", "nobody@example.com"] })).map((u) => u.id))
            .toEqual([ada.id])
          expect((yield* Users.get(ada.id)).firstName).toBe("Ada")
          expect((yield* Effect.flip(Users.get("user_missing")))._tag).toBe("NotFound")
          const unauthorized = yield* Effect.flip(
            Users.list().pipe(
              Effect.provide(ClerkClient.layer({ secretKey: Redacted.make("sk_test_wrong"), apiUrl: server.url })),
              Effect.provide(FetchHttpClient.layer)
            )
          )
          expect(unauthorized._tag).toBe("Unauthorized")
        }).pipe(Effect.provide(clientFor(server, http)))
      ))
  }

  for (const http of ["fetch", "undici", "node:http"] as const) {
    it.live(`setProfileImage uploads its multipart body through ${http}`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          const ada = yield* Users.create({ emailAddress: ["ada@example.com"] })
          const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
          const updated = yield* Users.setProfileImage(ada.id, {
            file: new Blob([png], { type: "image/png" }),
            filename: "me.png"
          })
          expect(updated.imageUrl).toMatch(new RegExp(`/uploaded/${ada.id}/`))
          expect((yield* Users.get(ada.id)).imageUrl).toBe(updated.imageUrl)
        }).pipe(Effect.provide(clientFor(server, http)))
      ))
  }

  it.live("test endpoints: seed, snapshot, restore, reset, faults, time, request log", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const seeded = yield* admin(server, "POST", "/seed", {
          users: [{ emailAddress: ["s@x.co"], totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }]
        })
        expect(seeded.status).toBe(200)
        const userId = (seeded.body as { users: Array<string> }).users[0]!
        const code = (yield* admin(server, "GET", `/users/${userId}/totp`)).body as { code: string }
        expect((yield* Users.verifyTotp(userId, { code: code.code })).verified).toBe(true)
        const snapshot = (yield* admin(server, "GET", "/snapshot")).body
        yield* Users.create({ emailAddress: ["later@x.co"] })
        expect(yield* Users.count({})).toBe(2)
        expect((yield* admin(server, "POST", "/restore", snapshot)).status).toBe(200)
        expect(yield* Users.count({})).toBe(1)
        expect(
          (yield* admin(server, "POST", "/faults", { operation: "Users.get", action: { _tag: "Drop" }, times: 1 }))
            .status
        ).toBe(200)
        const dropped = yield* Effect.flip(ClerkRetry.disabled(Users.get(userId)))
        if (dropped._tag !== "TransportError") return expect.unreachable()
        expect(dropped.reason).toBe("RequestError")
        yield* admin(server, "POST", "/faults", {
          operation: "Users.get",
          action: { _tag: "Malformed", kind: "html" },
          times: 1
        })
        expect((yield* Effect.flip(ClerkRetry.disabled(Users.get(userId))))._tag).toBe("DecodeError")
        yield* admin(server, "POST", "/faults", {
          operation: "Users.get",
          action: { _tag: "Status", status: 503 },
          times: 1
        })
        expect((yield* Users.get(userId).pipe(ClerkRetry.withOptions({ jitter: false, initialDelay: "10 millis" }))).id)
          .toBe(userId)
        yield* Users.lock(userId)
        yield* admin(server, "POST", "/time", { advanceMs: 3_600_000 })
        expect((yield* Users.get(userId)).locked).toBe(false)
        const log = (yield* admin(server, "GET", "/requests")).body as Array<
          { operation: string; status: number | string }
        >
        expect(log.some((r) => r.operation === "Users.get" && r.status === "dropped")).toBe(true)
        expect((yield* admin(server, "POST", "/faults", { action: { _tag: "Nope" } })).status).toBe(400)
        expect((yield* admin(server, "POST", "/restore", { version: 1, state: {} })).status).toBe(400)
        expect(yield* Users.count({})).toBe(1)
        expect((yield* admin(server, "POST", "/reset")).status).toBe(200)
        expect(yield* Users.count({})).toBe(0)
      }).pipe(Effect.provide(ClerkRetry.layer().pipe(Layer.provide(clientFor(server)))))
    ))

  it.live("bodies over the limit are refused with 413 before being read", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, maxBodyBytes: 64 * 1024 })
      const error = yield* Effect.flip(
        Users.updateMetadata("user_x", { publicMetadata: { blob: "x".repeat(100_000) } }).pipe(
          Effect.provide(clientFor(server))
        )
      )
      if (error._tag !== "UnexpectedStatus") return expect.unreachable()
      expect(error.status).toBe(413)
    })))

  it.live("the official @clerk/backend client runs its scenario against the emulator", () =>
    withServer((server) =>
      Effect.promise(async () => {
        const clerk = createClerkClient({ secretKey: server.secretKey, apiUrl: server.url })
        const ada = await clerk.users.createUser({
          emailAddress: ["ada@example.com"],
          password: "correct horse battery",
          firstName: "Ada"
        })
        expect(ada.emailAddresses[0]?.emailAddress).toBe("ada@example.com")
        await clerk.users.createUser({ emailAddress: ["bob@example.com"], firstName: "Bob" })
        const list = await clerk.users.getUserList({ emailAddress: ["ada@example.com"] })
        expect(list.data.map((u) => u.id)).toEqual([ada.id])
        expect(list.totalCount).toBe(1)
        expect((await clerk.users.getUser(ada.id)).firstName).toBe("Ada")
        expect((await clerk.users.updateUser(ada.id, { lastName: "Lovelace" })).lastName).toBe("Lovelace")
        await clerk.users.updateUserMetadata(ada.id, { publicMetadata: { plan: "free", prefs: { theme: "dark" } } })
        const merged = await clerk.users.updateUserMetadata(ada.id, {
          publicMetadata: { plan: "pro", prefs: { lang: "en" } }
        })
        expect(merged.publicMetadata).toEqual({ plan: "pro", prefs: { theme: "dark", lang: "en" } })
        expect((await clerk.users.banUser(ada.id)).banned).toBe(true)
        expect((await clerk.users.lockUser(ada.id)).locked).toBe(true)
        expect(await clerk.users.verifyPassword({ userId: ada.id, password: "correct horse battery" })).toEqual({
          verified: true
        })
        await expect(clerk.users.verifyPassword({ userId: ada.id, password: "wrong" })).rejects.toMatchObject({
          status: 422
        })
        const deleted = await clerk.users.deleteUser(ada.id)
        expect(deleted.id).toBe(ada.id)
        await expect(clerk.users.getUser(ada.id)).rejects.toMatchObject({
          status: 404,
          errors: [expect.objectContaining({ code: "resource_not_found" })]
        })
      })
    ))
})
