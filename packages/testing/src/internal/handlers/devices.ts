import { UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { notFound } from "../failure.js"
import { presentTrustedDevice } from "../present.js"
import { type Context, id0, requireFeature, type Route, route, user } from "./shared.js"

const refusal = { code: "trusted_devices_not_enabled", message: "Trusted devices are not enabled." }

/** Trusted devices: list and revoke. @internal */
export const deviceRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(UsersApi.listTrustedDevices, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "passkeys", refusal)
      const u = yield* user(ctx, input)
      const data = [...u.trustedDevices].sort((a, b) => b.createdAt - a.createdAt).map(presentTrustedDevice)
      return { data, totalCount: data.length }
    })),
  route(UsersApi.revokeTrustedDevice, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "passkeys", refusal)
      const u = yield* user(ctx, input)
      const id = id0(input, 1)
      const device = u.trustedDevices.find((d) => d.id === id)
      if (device === undefined) return yield* notFound("trusted device", id)
      if (device.status !== "revoked") {
        // trusted devices are not part of the user representation: no updatedAt bump, no event
        ctx.store.updateUserExtras(u.id, ({ trustedDevices }) => {
          const stored = trustedDevices.find((d) => d.id === id)
          if (stored === undefined) return
          stored.status = "revoked"
          stored.revokedAt = input.now
          stored.updatedAt = input.now
        })
      }
      return presentTrustedDevice(device)
    }))
]
