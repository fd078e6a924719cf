import type { Params } from "@effect-clerk/users"
import * as Effect from "effect/Effect"
import { type ApiFailure, failWith } from "../failure.js"
import type { UserView } from "../state.js"
import type { IdentifierKind } from "../store.js"
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

const lowerIncludes = (haystack: string | null | undefined, lowerNeedle: string) =>
  haystack !== null && haystack !== undefined && haystack.toLowerCase().includes(lowerNeedle)

const ms = (value: number | Date | null | undefined) =>
  value === undefined || value === null ? undefined : typeof value === "number" ? value : value.getTime()

const lower = (xs: ReadonlyArray<string> | null | undefined) =>
  xs === undefined || xs === null ? undefined : new Set(xs.map((x) => x.toLowerCase()))

type Check = (u: UserView) => boolean

/**
 * The array filters of list and count, by wire name, and the most values each takes: Clerk's spec says "Accepts up
 * to 100 …" of each (`query.test.ts` reads the bounds from the spec and checks each one).
 */
const boundedFilters: ReadonlyArray<readonly [key: keyof ListFilters, name: string]> = [
  ["emailAddress", "email_address"],
  ["phoneNumber", "phone_number"],
  ["externalId", "external_id"],
  ["username", "username"],
  ["web3Wallet", "web3_wallet"],
  ["userId", "user_id"],
  ["organizationId", "organization_id"],
  ["providerUserId", "provider_user_id"]
]
const MAX_FILTER_VALUES = 100

/**
 * Refuses an array filter given more values than Clerk takes, with Clerk's `FormParameterArraySizeExceeded` (422
 * `form_param_array_size_exceeded`).
 *
 * @internal
 */
export const checkFilterSizes = (filters: ListFilters): Effect.Effect<void, ApiFailure> => {
  for (const [key, name] of boundedFilters) {
    const values = filters[key]
    if (Array.isArray(values) && values.length > MAX_FILTER_VALUES) {
      return failWith(
        422,
        "form_param_array_size_exceeded",
        "exceeds maximum size",
        `${name} should not exceed ${MAX_FILTER_VALUES} items.`,
        { param_name: name }
      )
    }
  }
  return Effect.void
}

/** The checks of the text queries (substring, without case). */
const textChecks = (filters: ListFilters, checks: Array<Check>) => {
  if (filters.query) {
    const q = filters.query.toLowerCase()
    checks.push((u) =>
      u.emails.some((e) => lowerIncludes(e.value, q)) || u.phones.some((p) => lowerIncludes(p.value, q)) ||
      lowerIncludes(u.username, q) || u.web3Wallets.some((w) => lowerIncludes(w.value, q)) || lowerIncludes(u.id, q) ||
      lowerIncludes(u.firstName, q) || lowerIncludes(u.lastName, q)
    )
  }
  if (filters.emailAddressQuery) {
    const q = filters.emailAddressQuery.toLowerCase()
    checks.push((u) => u.emails.some((e) => lowerIncludes(e.value, q)))
  }
  if (filters.phoneNumberQuery) {
    const q = filters.phoneNumberQuery.toLowerCase()
    checks.push((u) => u.phones.some((p) => lowerIncludes(p.value, q)))
  }
  if (filters.usernameQuery) {
    const q = filters.usernameQuery.toLowerCase()
    checks.push((u) => lowerIncludes(u.username, q))
  }
  if (filters.nameQuery) {
    const q = filters.nameQuery.toLowerCase()
    checks.push((u) => lowerIncludes(`${u.firstName ?? ""} ${u.lastName ?? ""}`, q))
  }
}

/** The checks of the exact identifier filters and the include/exclude lists. */
const identifierChecks = (ctx: Context, filters: ListFilters, checks: Array<Check>) => {
  const emails = lower(filters.emailAddress)
  const phones = lower(filters.phoneNumber)
  const usernames = lower(filters.username)
  const wallets = lower(filters.web3Wallet)
  if (emails) checks.push((u) => u.emails.some((e) => emails.has(e.value.toLowerCase())))
  if (phones) checks.push((u) => u.phones.some((p) => phones.has(p.value.toLowerCase())))
  if (usernames) checks.push((u) => u.username !== null && usernames.has(u.username.toLowerCase()))
  if (wallets) checks.push((u) => u.web3Wallets.some((w) => wallets.has(w.value.toLowerCase())))
  const userIds = includeExclude(filters.userId)
  const externalIds = includeExclude(filters.externalId)
  const orgIds = includeExclude(filters.organizationId)
  if (userIds.active) checks.push((u) => matchesIncludeExclude(userIds, [u.id]))
  if (externalIds.active) {
    checks.push((u) => matchesIncludeExclude(externalIds, u.externalId === null ? [] : [u.externalId]))
  }
  if (orgIds.active) {
    const memberships = ctx.store.state().memberships
    const memberOf = (userId: string) => memberships.filter((m) => m.userId === userId).map((m) => m.organizationId)
    checks.push((u) => matchesIncludeExclude(orgIds, memberOf(u.id)))
  }
}

/** The checks of the flags, providers and time bounds. */
const otherChecks = (filters: ListFilters, checks: Array<Check>) => {
  if (filters.banned !== undefined && filters.banned !== null) {
    const banned = filters.banned
    checks.push((u) => u.banned === banned)
  }
  if (filters.provider !== undefined && filters.provider !== null) {
    const provider = filters.provider
    const providerUserIds = filters.providerUserId === undefined || filters.providerUserId === null
      ? undefined
      : new Set(filters.providerUserId)
    checks.push((u) => {
      const accounts = u.externalAccounts.filter((a) => a.provider === provider)
      if (accounts.length === 0) return false
      return providerUserIds === undefined || accounts.some((a) => providerUserIds.has(a.providerUserId))
    })
  }
  const bounds: ReadonlyArray<readonly [number | undefined, (u: UserView) => number | null, "before" | "after"]> = [
    [ms(filters.lastActiveAtBefore), (u) => u.lastActiveAt, "before"],
    [ms(filters.lastActiveAtAfter), (u) => u.lastActiveAt, "after"],
    [ms(filters.lastActiveAtSince), (u) => u.lastActiveAt, "after"],
    [ms(filters.createdAtBefore), (u) => u.createdAt, "before"],
    [ms(filters.createdAtAfter), (u) => u.createdAt, "after"],
    [ms(filters.lastSignInAtBefore), (u) => u.lastSignInAt, "before"],
    [ms(filters.lastSignInAtAfter), (u) => u.lastSignInAt, "after"]
  ]
  for (const [bound, read, side] of bounds) {
    if (bound === undefined) continue
    checks.push((u) => {
      const value = read(u)
      return value !== null && (side === "before" ? value < bound : value > bound)
    })
  }
}

/**
 * The users that can match, from the store's identifier indexes, when a filter allows it (the smallest such set):
 * exact emails, phones, usernames, wallets, included user ids, external ids and organizations by lookup; else the
 * substring queries on emails, phones and usernames by a search of that index's keys (not of the users).
 * `undefined` when no filter narrows the users this way (every user is a candidate).
 */
const candidatesOf = (ctx: Context, filters: ListFilters): ReadonlyArray<UserView> | undefined => {
  const store = ctx.store
  const sets: Array<ReadonlySet<string>> = []
  const lookup = (kind: IdentifierKind, values: ReadonlyArray<string> | null | undefined) => {
    if (values === undefined || values === null) return
    const ids = new Set<string>()
    for (const value of values) {
      const id = store.userIdBy(kind, value)
      if (id !== undefined) ids.add(id)
    }
    sets.push(ids)
  }
  lookup("email", filters.emailAddress)
  lookup("phone", filters.phoneNumber)
  lookup("username", filters.username)
  lookup("web3Wallet", filters.web3Wallet)
  const included = (values: ReadonlyArray<string> | null | undefined) => [...includeExclude(values).include]
  const userIds = included(filters.userId)
  if (userIds.length > 0) sets.push(new Set(userIds))
  const externalIds = included(filters.externalId)
  if (externalIds.length > 0) lookup("externalId", externalIds)
  const orgIds = new Set(included(filters.organizationId))
  if (orgIds.size > 0) {
    sets.push(new Set(store.state().memberships.filter((m) => orgIds.has(m.organizationId)).map((m) => m.userId)))
  }
  if (sets.length === 0) {
    const scanKeys = (kind: IdentifierKind, query: string | null | undefined) => {
      if (!query) return
      sets.push(store.idsContaining(kind, query.toLowerCase()))
    }
    scanKeys("email", filters.emailAddressQuery)
    scanKeys("phone", filters.phoneNumberQuery)
    scanKeys("username", filters.usernameQuery)
  }
  if (sets.length === 0) return undefined
  const smallest = sets.reduce((a, b) => (b.size < a.size ? b : a))
  const users: Array<UserView> = []
  for (const id of smallest) {
    const u = store.user(id)
    if (u !== undefined) users.push(u)
  }
  return users
}

/**
 * A list or count query, compiled: the test a user must pass (`undefined` when no filter is set) and the
 * candidates from an identifier index (`undefined`: every user; see `candidatesOf`).
 *
 * @internal
 */
export interface Selection {
  readonly test: Check | undefined
  readonly candidates: ReadonlyArray<UserView> | undefined
}

/** @internal */
export const selection = (ctx: Context, filters: ListFilters): Selection => {
  const checks: Array<Check> = []
  identifierChecks(ctx, filters, checks)
  textChecks(filters, checks)
  otherChecks(filters, checks)
  if (checks.length === 0) return { test: undefined, candidates: undefined }
  const test: Check = checks.length === 1 ? checks[0]! : (u) => checks.every((check) => check(u))
  return { test, candidates: candidatesOf(ctx, filters) }
}

/** How many users a count query selects: the store's size without filters. @internal */
export const countUsers = (ctx: Context, filters: ListFilters): number => {
  const { candidates, test } = selection(ctx, filters)
  if (test === undefined) return ctx.store.userCount()
  let n = 0
  for (const u of candidates ?? ctx.store.users()) if (test(u)) n++
  return n
}

// a Map, not an object: `order_by` is the client's text (`__proto__`, `constructor` must be unknown fields)
type OrderKey = (u: UserView) => string | number | null
const orderKeys: ReadonlyMap<string, OrderKey> = new Map<string, OrderKey>([
  ["created_at", (u) => u.createdAt],
  ["updated_at", (u) => u.updatedAt],
  ["email_address", (u) => u.emails[0]?.value.toLowerCase() ?? null],
  ["web3wallet", (u) => u.web3Wallets[0]?.value.toLowerCase() ?? null],
  ["first_name", (u) => u.firstName?.toLowerCase() ?? null],
  ["last_name", (u) => u.lastName?.toLowerCase() ?? null],
  ["phone_number", (u) => u.phones[0]?.value ?? null],
  ["username", (u) => u.username?.toLowerCase() ?? null],
  ["last_active_at", (u) => u.lastActiveAt],
  ["last_sign_in_at", (u) => u.lastSignInAt]
])

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
    const key = orderKeys.get(field)
    if (key === undefined) {
      return yield* failWith(
        422,
        "form_param_value_invalid",
        "order_by is invalid",
        `order_by must be one of ${[...orderKeys.keys()].join(", ")}, optionally prefixed with + or -.`,
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

/**
 * One page of a list query in `order`, starting after `cursor` (a user: its position in creation order) when given,
 * else after `offset` matches. In creation order (the default) and without index candidates, the ordered index is
 * walked and the walk stops once the page is full; otherwise the candidates (or every user) are filtered and sorted.
 *
 * @internal
 */
export const listPage = (
  ctx: Context,
  filters: ListFilters,
  order: Order,
  paging: { readonly limit: number; readonly offset: number },
  cursor?: UserView
): Array<UserView> => {
  const { candidates, test } = selection(ctx, filters)
  if (order.field === "created_at" && candidates === undefined) {
    const out: Array<UserView> = []
    // without a filter the offset is a position: the index skips to it
    let skip = test === undefined ? 0 : paging.offset
    const walk = ctx.store.usersInOrder(order.direction > 0 ? 1 : -1, cursor, test === undefined ? paging.offset : 0)
    for (const u of walk) {
      if (test !== undefined && !test(u)) continue
      if (skip > 0) {
        skip--
        continue
      }
      out.push(u)
      if (out.length >= paging.limit) break
    }
    return out
  }
  const pool = [...(candidates ?? ctx.store.users())]
  const users = sortUsers(test === undefined ? pool : pool.filter(test), order)
  let start = paging.offset
  if (cursor !== undefined) {
    // the cursor user may be filtered out: continue after its position in the full ordering
    start = users.findIndex((u) => (u.createdAt - cursor.createdAt || u.seq - cursor.seq) * order.direction > 0)
    if (start < 0) start = users.length
  }
  return users.slice(start, start + paging.limit)
}
