/**
 * A bounded log: the newest `capacity` entries, oldest dropped first (trimmed in batches, so recording is O(1)
 * amortized). The request log and the recent domain events both use it.
 *
 * @internal
 */
export const ring = <A>(capacity: number) => {
  let buffer: Array<A> = []
  return {
    push: (entry: A): void => {
      buffer.push(entry)
      if (buffer.length >= capacity * 2) buffer = buffer.slice(buffer.length - capacity)
    },
    read: (): ReadonlyArray<A> => buffer.slice(Math.max(0, buffer.length - capacity)),
    clear: (): void => {
      buffer = []
    }
  }
}
