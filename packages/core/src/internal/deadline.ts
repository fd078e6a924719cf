import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"

const liveClock: unknown = Object.getPrototypeOf(Clock.make())
/** setTimeout's largest delay (about 24.8 days); a longer deadline goes through the Clock. */
const maxTimer = 2 ** 31 - 1

/**
 * Runs a request with a deadline, without forking.
 *
 * With Effect's live `Clock`, one timer: when it fires, it closes the request's scope, which aborts the transport's
 * request through its abort signal (`HttpClient.withScope`: fetch and undici stop at once), and the call fails with
 * `onTimeout()` (also when a transport that ignores the signal answers later). Interruption closes the scope too,
 * aborting the request. With any other `Clock` (`TestClock`, a custom one), `Effect.timeoutFail`, so virtual time
 * drives the deadline as before.
 *
 * @internal
 */
export const withDeadline = <A, E, E2>(options: {
  /** The request on a client that aborts on interruption (the platform's default). */
  readonly unscoped: () => Effect.Effect<A, E>
  /** The same request on a client whose abort signal belongs to the enclosing `Scope`. */
  readonly scoped: () => Effect.Effect<A, E, Scope.Scope>
  readonly timeout: Duration.Duration
  readonly onTimeout: () => E2
}): Effect.Effect<A, E | E2> => {
  if (!Duration.isFinite(options.timeout)) return options.unscoped()
  const millis = Duration.toMillis(options.timeout)
  return Effect.clockWith((clock) => {
    if (Object.getPrototypeOf(clock) !== liveClock || millis > maxTimer) {
      return Effect.timeoutFail(options.unscoped(), { duration: options.timeout, onTimeout: options.onTimeout })
    }
    return Effect.suspend(() => {
      let timedOut = false
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = (): Effect.Effect<never, E | E2> => Effect.fail(options.onTimeout())
      return Effect.acquireUseRelease(
        Scope.make(),
        (scope) =>
          Effect.suspend(() => {
            timer = setTimeout(() => {
              timedOut = true
              Effect.runSync(Scope.close(scope, Exit.void))
            }, millis)
            return Effect.matchCauseEffect(Scope.extend(options.scoped(), scope), {
              onFailure: (cause) => (timedOut ? late() : Effect.failCause(cause)),
              onSuccess: (value) => (timedOut ? late() : Effect.succeed(value))
            })
          }),
        (scope, exit) => {
          clearTimeout(timer)
          // after a success the scope is dropped, not closed: aborting a finished request costs a DOMException
          return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
        }
      )
    })
  })
}
