/**
 * The schema of a fault, shared by `POST /__emulator/faults` (JSON: a latency in whole milliseconds) and the
 * in-process `injectFault` (a latency as any `Duration.DurationInput`), so both refuse the same faults when they
 * are injected rather than when a request meets them.
 *
 * @internal
 */
import { UsersApi } from "@effect-clerk/users"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { formatPath } from "./seed.js"

const operationNames = new Set(UsersApi.all.flatMap((e) => [e.name, e.operationId]))

const maxLatencyMs = 600_000

const faultSchema = <D, I>(delay: Schema.Schema<D, I>) =>
  Schema.Struct({
    operation: Schema.optional(
      Schema.String.pipe(Schema.filter((name) => operationNames.has(name) || `no operation is named ${name}`))
    ),
    probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
    times: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
    action: Schema.Union(
      Schema.Struct({
        _tag: Schema.Literal("Status"),
        // an error status: 1xx/2xx/3xx are not failures (and 1xx, 204, 304 cannot carry the envelope at all)
        status: Schema.Int.pipe(Schema.between(400, 599)),
        body: Schema.optional(Schema.String.pipe(Schema.maxLength(1024 * 1024))),
        retryAfter: Schema.optional(Schema.Int.pipe(Schema.between(0, 24 * 3600)))
      }),
      Schema.Struct({ _tag: Schema.Literal("Latency"), delay }),
      Schema.Struct({ _tag: Schema.Literal("Drop"), afterProcessing: Schema.optional(Schema.Boolean) }),
      Schema.Struct({ _tag: Schema.Literal("Refuse") }),
      Schema.Struct({
        _tag: Schema.Literal("Malformed"),
        kind: Schema.Literal("truncated", "html", "empty", "garbage", "wrong-shape")
      })
    )
  })

/** A fault as `POST /__emulator/faults` takes it (public as `EmulatorServer.FaultJson`). @internal */
export const FaultJson = faultSchema(Schema.Int.pipe(Schema.between(0, maxLatencyMs)))

/** A latency given as any finite, non-negative `Duration.DurationInput` (in-process, `TestClock` may pass hours). */
const DelayInput = Schema.declare(
  (u: unknown): u is Duration.DurationInput =>
    // a negative number of milliseconds would decode to zero: refused, as over HTTP
    !(typeof u === "number" && !(u >= 0)) && Option.match(Duration.decodeUnknown(u), {
      onNone: () => false,
      onSome: (d) => Duration.isFinite(d)
    }),
  { description: "a finite Duration.DurationInput" }
)

/**
 * A decode failure as `path: message` lines (at most 10), not the schema's tree.
 *
 * @internal
 */
export const describeIssues = (error: ParseResult.ParseError): string => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error)
      .filter((issue) => !issue.message.startsWith("Expected undefined"))
      .slice(0, 10)
      .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
      .join("; ")
  } catch {
    return "a value is nested too deeply to describe"
  }
}

/** A fault as the in-process `injectFault` takes it. @internal */
export const FaultInput = faultSchema(DelayInput)
