import { DomainEvent, type Listener } from "./events.js"
import { makeOrderedIndex } from "./ordered.js"
import { presentUser } from "./present.js"
import {
  emptyState,
  type InstanceFeatures,
  type SnapshotState,
  type State,
  type StateView,
  type StoredInvitation,
  type StoredMembership,
  type StoredOrganization,
  type StoredUser,
  type UserView
} from "./state.js"

/**
 * The identifiers that are unique across users. Emails, phones, web3 wallets and usernames compare without case;
 * external ids exactly (as Clerk does).
 *
 * @internal
 */
export type IdentifierKind = "email" | "phone" | "web3Wallet" | "username" | "externalId"

/**
 * The parts of a user that `GET /users/{id}` does not show: changing them bumps no `updatedAt` and records no event.
 *
 * @internal
 */
export type UserExtras = Pick<StoredUser, "credits" | "trustedDevices" | "subscription">

/** @internal */
export interface WriteOptions {
  /** Record a domain event (default true; seeding passes false unless asked). */
  readonly emit?: boolean | undefined
}

/**
 * The emulator's state and the only way to change it. Readers get read-only views (`UserView`, `StateView`);
 * writers record a `DomainEvent` for every change to a user and keep the identifier indexes in step.
 *
 * @internal
 */
export interface Store {
  /** The current state, read-only. */
  readonly state: () => StateView
  readonly features: () => InstanceFeatures
  readonly user: (id: string) => UserView | undefined
  /** Every user, in insertion order. */
  readonly users: () => IterableIterator<UserView>
  /** How many users there are. */
  readonly userCount: () => number
  /**
   * The users by `(createdAt, seq)`: `-1` newest first (the API's default order), `1` oldest first; strictly after
   * the position of `after` when given (a user or a key; it need not exist any more). Lazy, from an ordered index
   * kept in step by the writers: reading the first page of 100k users reads 100 of them; `skip` passes over that
   * many first (an offset), bucket by bucket.
   */
  readonly usersInOrder: (
    direction: 1 | -1,
    after?: { readonly createdAt: number; readonly seq: number },
    skip?: number
  ) => Generator<UserView, void, undefined>
  /**
   * The holders of the identifiers of one kind whose normalized key (lower case but external ids) contains `needle`,
   * found by one `indexOf` pass over all the keys joined (built on first use after a change), not key by key.
   */
  readonly idsContaining: (kind: IdentifierKind, needle: string) => Set<string>
  /** The user holding this identifier, by index (O(1)). */
  readonly userIdBy: (kind: IdentifierKind, value: string) => string | undefined
  /** Whether a user other than `except` holds this identifier. */
  readonly isTaken: (kind: IdentifierKind, value: string, except?: string) => boolean
  /** The next ordering number (ties on `createdAt` sort by it). */
  readonly nextSeq: () => number

  /** Adds a user (its id is new: seeding refuses an existing one); records `UserCreated`. */
  readonly createUser: (user: StoredUser, at: number, options?: WriteOptions) => UserView
  /**
   * Changes a user: `mutate` gets the one mutable reference; then `updatedAt` becomes `max(at, updatedAt)`, the
   * indexes follow, and `UserUpdated` is recorded. `undefined` when there is no such user (nothing recorded).
   */
  readonly updateUser: (id: string, at: number, mutate: (user: StoredUser) => void) => UserView | undefined
  /** Changes what the user representation does not show (credits, trusted devices, subscription). */
  readonly updateUserExtras: (id: string, mutate: (extras: UserExtras) => void) => UserView | undefined
  /** Removes a user and their memberships; records `UserDeleted`. `false` when there is no such user. */
  readonly deleteUser: (id: string, at: number) => boolean

  readonly addOrganization: (organization: StoredOrganization) => void
  readonly addMembership: (membership: StoredMembership) => void
  readonly addInvitation: (invitation: StoredInvitation) => void
  readonly setFeatures: (features: Partial<InstanceFeatures>) => void

  /** Empties the state (features back to `features`); the event sequence keeps counting. */
  readonly reset: (features: InstanceFeatures) => void
  /** The whole state as plain JSON-able data (live objects: serialize before changing state). */
  readonly snapshot: () => SnapshotState
  /** Replaces the state with a deep copy of `snapshot`; records nothing. */
  readonly restore: (snapshot: SnapshotState) => void

  /** Listens to every recorded event; returns the unsubscribe. */
  readonly subscribe: (listener: Listener) => () => void
}

const kinds: ReadonlyArray<IdentifierKind> = ["email", "phone", "web3Wallet", "username", "externalId"]

const normalize = (kind: IdentifierKind, value: string) => (kind === "externalId" ? value : value.toLowerCase())

/** Every unique identifier a user holds, as `[kind, normalized value]`. */
const keysOf = (user: UserView): Array<readonly [IdentifierKind, string]> => {
  const out: Array<readonly [IdentifierKind, string]> = []
  for (const e of user.emails) out.push(["email", e.value.toLowerCase()])
  for (const p of user.phones) out.push(["phone", p.value.toLowerCase()])
  for (const w of user.web3Wallets) out.push(["web3Wallet", w.value.toLowerCase()])
  if (user.username !== null) out.push(["username", user.username.toLowerCase()])
  if (user.externalId !== null) out.push(["externalId", user.externalId])
  return out
}

/** The keys of one identifier index joined by a separator, with where each starts and its holder. */
interface Haystack {
  readonly text: string
  readonly starts: ReadonlyArray<number>
  readonly ids: ReadonlyArray<string>
}

const separator = "\u0000"

const haystackOf = (index: ReadonlyMap<string, string>): Haystack => {
  const keys: Array<string> = []
  const starts: Array<number> = []
  const ids: Array<string> = []
  let at = 0
  for (const [key, id] of index) {
    keys.push(key)
    starts.push(at)
    ids.push(id)
    at += key.length + 1
  }
  return { text: keys.join(separator), starts, ids }
}

/**
 * The holders whose key contains `needle`. The needle is not empty and holds no separator, so no match spans two
 * keys: each names the key it starts in.
 */
const searchHaystack = (haystack: Haystack, needle: string): Set<string> => {
  const out = new Set<string>()
  const { ids, starts, text } = haystack
  let at = text.indexOf(needle)
  while (at !== -1) {
    // the key holding position `at`: the last start at or before it
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    out.add(ids[lo]!)
    at = lo + 1 < starts.length ? text.indexOf(needle, starts[lo + 1]!) : -1
  }
  return out
}

/** @internal */
export const makeStore = (initialFeatures: InstanceFeatures): Store => {
  let state: State = { ...emptyState(), features: initialFeatures }
  let eventSeq = 0
  const listeners = new Set<Listener>()
  const indexes = new Map<IdentifierKind, Map<string, string>>(kinds.map((k) => [k, new Map()]))
  const index = (kind: IdentifierKind) => indexes.get(kind)!
  // by (createdAt, seq): the key of a user in it is always its current one (updateUser re-keys on a change)
  const ordered = makeOrderedIndex<UserView>()

  // per kind, built on first search after the index changes
  const haystacks = new Map<IdentifierKind, Haystack>()

  const indexUser = (user: UserView) => {
    haystacks.clear()
    for (const [kind, key] of keysOf(user)) index(kind).set(key, user.id)
  }
  const unindexKeys = (keys: ReadonlyArray<readonly [IdentifierKind, string]>, id: string) => {
    haystacks.clear()
    for (const [kind, key] of keys) if (index(kind).get(key) === id) index(kind).delete(key)
  }
  const idsContaining = (kind: IdentifierKind, needle: string): Set<string> => {
    if (needle !== "" && !needle.includes(separator)) {
      let haystack = haystacks.get(kind)
      if (haystack === undefined) {
        haystack = haystackOf(index(kind))
        haystacks.set(kind, haystack)
      }
      return searchHaystack(haystack, needle)
    }
    const ids = new Set<string>()
    for (const [key, id] of index(kind)) if (key.includes(needle)) ids.add(id)
    return ids
  }
  const rebuildIndexes = () => {
    haystacks.clear()
    for (const map of indexes.values()) map.clear()
    ordered.clear()
    const users = [...state.users.values()].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq)
    for (const user of users) {
      indexUser(user)
      ordered.insert(user, user)
    }
  }

  const emit = (make: (seq: number) => DomainEvent) => {
    if (listeners.size === 0) return
    const event = make(++eventSeq)
    for (const listener of listeners) {
      try {
        listener(event)
      } catch {
        // the change has committed: a listener's failure is its own
      }
    }
  }
  const emitUser = (tag: "UserCreated" | "UserUpdated", user: UserView, at: number) =>
    emit((seq) => DomainEvent[tag]({ seq, at, user: presentUser(state, user, at) }))

  return {
    state: () => state,
    features: () => state.features,
    user: (id) => state.users.get(id),
    users: () => state.users.values(),
    userCount: () => state.users.size,
    usersInOrder: (direction, after, skip) => ordered.walk(direction, after, skip),
    idsContaining,
    userIdBy: (kind, value) => index(kind).get(normalize(kind, value)),
    isTaken: (kind, value, except) => {
      const holder = index(kind).get(normalize(kind, value))
      return holder !== undefined && holder !== except
    },
    nextSeq: () => ++state.seq,

    createUser: (user, at, options) => {
      const replaced = state.users.get(user.id)
      if (replaced !== undefined) {
        unindexKeys(keysOf(replaced), replaced.id)
        ordered.remove(replaced)
      }
      state.users.set(user.id, user)
      indexUser(user)
      ordered.insert(user, user)
      if (options?.emit !== false) emitUser("UserCreated", user, at)
      return user
    },
    updateUser: (id, at, mutate) => {
      const user = state.users.get(id)
      if (user === undefined) return undefined
      const before = keysOf(user)
      const createdAt = user.createdAt
      mutate(user)
      user.updatedAt = Math.max(at, user.updatedAt)
      unindexKeys(before, id)
      indexUser(user)
      if (user.createdAt !== createdAt) {
        ordered.remove({ createdAt, seq: user.seq })
        ordered.insert(user, user)
      }
      emitUser("UserUpdated", user, at)
      return user
    },
    updateUserExtras: (id, mutate) => {
      const user = state.users.get(id)
      if (user === undefined) return undefined
      mutate(user)
      return user
    },
    deleteUser: (id, at) => {
      const user = state.users.get(id)
      if (user === undefined) return false
      state.users.delete(id)
      unindexKeys(keysOf(user), id)
      ordered.remove(user)
      const memberships = state.memberships
      for (let i = memberships.length - 1; i >= 0; i--) {
        if (memberships[i]?.userId === id) memberships.splice(i, 1)
      }
      emit((seq) => DomainEvent.UserDeleted({ seq, at, id, externalId: user.externalId }))
      return true
    },

    addOrganization: (organization) => void state.organizations.set(organization.id, organization),
    addMembership: (membership) => void state.memberships.push(membership),
    addInvitation: (invitation) => void state.invitations.push(invitation),
    setFeatures: (features) => {
      state.features = { ...state.features, ...features }
    },

    reset: (features) => {
      state = { ...emptyState(), features }
      rebuildIndexes()
    },
    snapshot: () => ({
      seq: state.seq,
      users: [...state.users.values()],
      organizations: [...state.organizations.values()],
      memberships: state.memberships,
      invitations: state.invitations,
      features: state.features
    }),
    restore: (snapshot) => {
      // a deep copy, so the snapshot and the live state stay independent
      const value = structuredClone(snapshot)
      state = {
        seq: value.seq,
        users: new Map(value.users.map((u) => [u.id, u])),
        organizations: new Map(value.organizations.map((o) => [o.id, o])),
        memberships: [...value.memberships],
        invitations: [...value.invitations],
        features: value.features
      }
      rebuildIndexes()
    },

    subscribe: (listener) => {
      // a wrapper, so the same function subscribed twice is two subscriptions
      const own: Listener = (event) => listener(event)
      listeners.add(own)
      return () => void listeners.delete(own)
    }
  }
}
