import { UsersApi } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { failWith } from "../failure.js"
import { presentInvitation, presentMembership } from "../present.js"
import type { StoredMembership } from "../state.js"
import { type Context, id0, page, requireFeature, type Route, route, user } from "./shared.js"

const membershipOrder = [
  "created_at",
  "updated_at",
  "role",
  "first_name",
  "last_name",
  "email_address",
  "phone_number",
  "username"
]

const instanceMemberships = (ctx: Context) =>
  route(UsersApi.getInstanceOrganizationMemberships, (input) =>
    Effect.gen(function*() {
      const raw = input.query?.orderBy ?? "-created_at"
      const field = raw.replace(/^[+-]/, "")
      if (!membershipOrder.includes(field)) {
        return yield* failWith(
          422,
          "form_param_value_invalid",
          "order_by is invalid",
          `Cannot order memberships by ${field}.`,
          { param_name: "order_by" }
        )
      }
      const direction = raw.startsWith("-") ? -1 : 1
      const paging = yield* page(input.query?.limit, input.query?.offset)
      const state = ctx.store.state()
      const keyOf = (m: StoredMembership): string | number => {
        const u = state.users.get(m.userId)
        switch (field) {
          case "role":
            return m.role
          case "first_name":
            return u?.firstName?.toLowerCase() ?? ""
          case "last_name":
            return u?.lastName?.toLowerCase() ?? ""
          case "email_address":
            return u?.emails[0]?.value.toLowerCase() ?? ""
          case "phone_number":
            return u?.phones[0]?.value ?? ""
          case "username":
            return u?.username?.toLowerCase() ?? ""
          case "updated_at":
            return m.updatedAt
          default:
            return m.createdAt
        }
      }
      const all = [...state.memberships].sort((a, b) => {
        const x = keyOf(a)
        const y = keyOf(b)
        return (x === y ? a.seq - b.seq : x < y ? -1 : 1) * direction
      })
      return {
        data: all.slice(paging.offset, paging.offset + paging.limit).map((m) => presentMembership(state, m)),
        totalCount: all.length
      }
    }))

/** Organizations: a user's memberships and invitations, and the instance's memberships. @internal */
export const organizationRoutes = (ctx: Context): ReadonlyArray<Route> => [
  route(UsersApi.getOrganizationMemberships, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "organizations")
      const paging = yield* page(input.query?.limit, input.query?.offset)
      const state = ctx.store.state()
      const all = state.memberships.filter((m) => m.userId === id0(input)).sort((a, b) =>
        b.createdAt - a.createdAt || b.seq - a.seq
      )
      return {
        data: all.slice(paging.offset, paging.offset + paging.limit).map((m) => presentMembership(state, m)),
        totalCount: all.length
      }
    })),
  route(UsersApi.getOrganizationInvitations, (input) =>
    Effect.gen(function*() {
      yield* requireFeature(ctx, "organizations")
      const u = yield* user(ctx, input)
      const paging = yield* page(input.query?.limit, input.query?.offset)
      const state = ctx.store.state()
      const emails = new Set(u.emails.map((e) => e.value.toLowerCase()))
      const status = input.query?.status
      const all = state.invitations
        .filter((i) =>
          emails.has(i.emailAddress.toLowerCase()) && (status === undefined || status === null || i.status === status)
        )
        .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
      return {
        data: all.slice(paging.offset, paging.offset + paging.limit).map((i) => presentInvitation(state, i)),
        totalCount: all.length
      }
    })),
  instanceMemberships(ctx)
]
