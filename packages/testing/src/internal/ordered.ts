/**
 * The users in creation order, `(createdAt, seq)` ascending, kept sorted as they change: the index behind the
 * default newest-first list, its `starting_after` cursor and `offset`. A sorted list of buckets (each at most
 * `BUCKET` entries, binary-searched), so an insert or delete moves at most one bucket's entries instead of the whole
 * list, and walking to a position skips whole buckets.
 *
 * Entries carry the key they were inserted with: a user's `createdAt` can change in place (`PATCH` with
 * `created_at`), and the store removes the entry by its old key before re-inserting it with the new one.
 *
 * @internal
 */
export interface OrderKey {
  readonly createdAt: number
  readonly seq: number
}

interface Entry<A> extends OrderKey {
  readonly value: A
}

const BUCKET = 512

const compare = (a: OrderKey, b: OrderKey) => a.createdAt - b.createdAt || a.seq - b.seq

/** The first index in `entries` whose key is greater than `key` (`orEqual`: greater or equal). */
const bisect = <A>(entries: ReadonlyArray<Entry<A>>, key: OrderKey, orEqual: boolean) => {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const c = compare(entries[mid]!, key)
    if (c < 0 || (c === 0 && !orEqual)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** @internal */
export interface OrderedIndex<A> {
  readonly size: () => number
  readonly insert: (key: OrderKey, value: A) => void
  /** Removes the entry with exactly this key; `false` when there is none. */
  readonly remove: (key: OrderKey) => boolean
  readonly clear: () => void
  /**
   * The values in order (`1` oldest first, `-1` newest first), starting strictly after `after` when given (in the
   * walking direction), else at the start, and past the first `skip` of those (whole buckets skipped at once). Lazy:
   * a caller that stops early pays only for what it read.
   */
  readonly walk: (direction: 1 | -1, after?: OrderKey, skip?: number) => Generator<A, void, undefined>
}

/** @internal */
export const makeOrderedIndex = <A>(): OrderedIndex<A> => {
  let buckets: Array<Array<Entry<A>>> = []
  let size = 0

  /** The bucket a key belongs in: the first whose last entry is not below it (or the last bucket). */
  const bucketFor = (key: OrderKey) => {
    let lo = 0
    let hi = buckets.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const bucket = buckets[mid]!
      if (compare(bucket[bucket.length - 1]!, key) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  const insert = (key: OrderKey, value: A) => {
    const entry: Entry<A> = { createdAt: key.createdAt, seq: key.seq, value }
    size++
    if (buckets.length === 0) {
      buckets.push([entry])
      return
    }
    const b = bucketFor(key)
    const bucket = buckets[b]!
    bucket.splice(bisect(bucket, key, false), 0, entry)
    if (bucket.length > BUCKET) buckets.splice(b + 1, 0, bucket.splice(BUCKET >>> 1))
  }

  const remove = (key: OrderKey) => {
    if (buckets.length === 0) return false
    const b = bucketFor(key)
    const bucket = buckets[b]!
    const i = bisect(bucket, key, true)
    if (i >= bucket.length || compare(bucket[i]!, key) !== 0) return false
    bucket.splice(i, 1)
    size--
    if (bucket.length === 0) buckets.splice(b, 1)
    return true
  }

  function* walk(direction: 1 | -1, after?: OrderKey, skip = 0): Generator<A, void, undefined> {
    let left = Math.max(0, skip)
    if (direction === 1) {
      let b = after === undefined ? 0 : bucketFor(after)
      let i = after === undefined ? 0 : bisect(buckets[b] ?? [], after, false)
      // past `skip` entries: whole buckets first, then within one
      while (b < buckets.length && left >= buckets[b]!.length - i) {
        left -= buckets[b]!.length - i
        b++
        i = 0
      }
      i += left
      for (; b < buckets.length; b++, i = 0) {
        const bucket = buckets[b]!
        for (; i < bucket.length; i++) yield bucket[i]!.value
      }
    } else {
      let b = after === undefined ? buckets.length - 1 : bucketFor(after)
      let i = after === undefined ? (buckets[b]?.length ?? 0) - 1 : bisect(buckets[b] ?? [], after, true) - 1
      while (b >= 0 && left > i) {
        left -= i + 1
        b--
        i = (buckets[b]?.length ?? 0) - 1
      }
      i -= left
      for (; b >= 0; b--, i = (buckets[b]?.length ?? 0) - 1) {
        const bucket = buckets[b]!
        for (; i >= 0; i--) yield bucket[i]!.value
      }
    }
  }

  return {
    size: () => size,
    insert,
    remove,
    clear: () => {
      buckets = []
      size = 0
    },
    walk
  }
}
