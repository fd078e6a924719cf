import type { Params } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { failWith } from "../failure.js"
import type { UserView } from "../state.js"
import type { Context } from "./shared.js"

/** @internal */
export type ListFilters = Omit<Params.ListQuery, "limit" | "offset" | "startingAfter" | "orderBy">

const includeExclude = (values: ReadonlyArray<string> | null | undefined) => {
  const include = new Set<string>()
  const exclude = new Set<string>()
  for (const value of values ?? []) {
    if (value.startsWith("-")) exclude.add(value.slice(1))
    else include.add(value.startsWith("+") ? value.slice(1) : value)
  }
  return { include, exclude, active: include.size + exclude.size > 0 }
}

const matchesIncludeExclude = (rule: ReturnType<typeof includeExclude>, values: ReadonlyArray<string>) => {
  if (!rule.active) return true
  if (values.some((v) => rule.exclude.has(v))) return false
  return rule.include.size === 0 || values.some((v) => rule.include.has(v))
}

const contains = (haystack: string | null | undefined, needle: string) =>
  haystack !== null && haystack !== undefined && haystack.toLowerCase().includes(needle.toLowerCase())

const ms = (value: number | Date | null | undefined) =>
  value === undefined || value === null ? undefined : typeof value === "number" ? value : value.getTime()

const lower = (xs: ReadonlyArray<string> | null | undefined) =>
  xs === undefined || xs === null ? undefined : new Set(xs.map((x) => x.toLowerCase()))

const textMatches = (u: UserView, filters: ListFilters) => {
  if (filters.query) {
    const q = filters.query
    const hit = u.emails.some((e) => contains(e.value, q)) || u.phones.some((p) => contains(p.value, q)) ||
      contains(u.username, q) || u.web3Wallets.some((w) => contains(w.value, q)) || contains(u.id, q) ||
      contains(u.firstName, q) || contains(u.lastName, q)
    if (!hit) return false
  }
  if (filters.emailAddressQuery && !u.emails.some((e) => contains(e.value, filters.emailAddressQuery!))) {
    return false
  }
  if (filters.phoneNumberQuery && !u.phones.some((p) => contains(p.value, filters.phoneNumberQuery!))) return false
  if (filters.usernameQuery && !contains(u.username, filters.usernameQuery)) return false
  if (filters.nameQuery) {
    const full = `${u.firstName ?? ""} ${u.lastName ?? ""}`
    if (!contains(full, filters.nameQuery)) return false
  }
  return true
}

/** The users a list or count query selects (unordered). @internal */
export const filterUsers = (ctx: Context, filters: ListFilters): Array<UserView> => {
  const state = ctx.store.state()
  const emails = lower(filters.emailAddress)
  const phones = lower(filters.phoneNumber)
  const usernames = lower(filters.username)
  const wallets = lower(filters.web3Wallet)
  const userIds = includeExclude(filters.userId)
  const externalIds = includeExclude(filters.externalId)
  const orgIds = includeExclude(filters.organizationId)
  const providerUserIds = filters.providerUserId === undefined || filters.providerUserId === null
    ? undefined
    : new Set(filters.providerUserId)
  const bounds: ReadonlyArray<readonly [number | undefined, (u: UserView) => number | null, "before" | "after"]> = [
    [ms(filters.lastActiveAtBefore), (u) => u.lastActiveAt, "before"],
    [ms(filters.lastActiveAtAfter), (u) => u.lastActiveAt, "after"],
    [ms(filters.lastActiveAtSince), (u) => u.lastActiveAt, "after"],
    [ms(filters.createdAtBefore), (u) => u.createdAt, "before"],
    [ms(filters.createdAtAfter), (u) => u.createdAt, "after"],
    [ms(filters.lastSignInAtBefore), (u) => u.lastSignInAt, "before"],
    [ms(filters.lastSignInAtAfter), (u) => u.lastSignInAt, "after"]
  ]
  const memberOf = (userId: string) => state.memberships.filter((m) => m.userId === userId).map((m) => m.organizationId)
  return [...state.users.values()].filter((u) => {
    if (emails && !u.emails.some((e) => emails.has(e.value.toLowerCase()))) return false
    if (phones && !u.phones.some((p) => phones.has(p.value.toLowerCase()))) return false
    if (usernames && (u.username === null || !usernames.has(u.username.toLowerCase()))) return false
    if (wallets && !u.web3Wallets.some((w) => wallets.has(w.value.toLowerCase()))) return false
    if (!matchesIncludeExclude(userIds, [u.id])) return false
    if (!matchesIncludeExclude(externalIds, u.externalId === null ? [] : [u.externalId])) return false
    if (orgIds.active && !matchesIncludeExclude(orgIds, memberOf(u.id))) return false
    if (filters.banned !== undefined && filters.banned !== null && u.banned !== filters.banned) return false
    if (filters.provider !== undefined && filters.provider !== null) {
      const accounts = u.externalAccounts.filter((a) => a.provider === filters.provider)
      if (accounts.length === 0) return false
      if (providerUserIds && !accounts.some((a) => providerUserIds.has(a.providerUserId))) return false
    }
    if (!textMatches(u, filters)) return false
    for (const [bound, read, side] of bounds) {
      if (bound === undefined) continue
      const value = read(u)
      if (value === null) return false
      if (side === "before" ? !(value < bound) : !(value > bound)) return false
    }
    return true
  })
}

const orderKeys: Record<string, (u: UserView) => string | number | null> = {
  created_at: (u) => u.createdAt,
  updated_at: (u) => u.updatedAt,
  email_address: (u) => u.emails[0]?.value.toLowerCase() ?? null,
  web3wallet: (u) => u.web3Wallets[0]?.value.toLowerCase() ?? null,
  first_name: (u) => u.firstName?.toLowerCase() ?? null,
  last_name: (u) => u.lastName?.toLowerCase() ?? null,
  phone_number: (u) => u.phones[0]?.value ?? null,
  username: (u) => u.username?.toLowerCase() ?? null,
  last_active_at: (u) => u.lastActiveAt,
  last_sign_in_at: (u) => u.lastSignInAt
}

/** @internal */
export interface Order {
  readonly field: string
  readonly direction: number
  readonly key: (u: UserView) => string | number | null
}

/** @internal */
export const parseOrder = (orderBy: string | null | undefined) =>
  Effect.gen(function*() {
    const raw = orderBy ?? "-created_at"
    const direction = raw.startsWith("-") ? -1 : 1
    const field = raw.replace(/^[+-]/, "")
    const key = orderKeys[field]
    if (key === undefined) {
      return yield* failWith(
        422,
        "form_param_value_invalid",
        "order_by is invalid",
        `order_by must be one of ${Object.keys(orderKeys).join(", ")}, optionally prefixed with + or -.`,
        { param_name: "order_by" }
      )
    }
    const order: Order = { field, direction, key }
    return order
  })

/** @internal */
export const sortUsers = (users: Array<UserView>, order: Order) =>
  users.sort((a, b) => {
    const x = order.key(a)
    const y = order.key(b)
    if (x !== y) {
      if (x === null) return 1
      if (y === null) return -1
      return (x < y ? -1 : 1) * order.direction
    }
    // ties (same millisecond) keep creation order, in the same direction
    return (a.seq - b.seq) * order.direction
  })
