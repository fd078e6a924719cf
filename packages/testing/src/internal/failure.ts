import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/** @internal */
export interface ErrorEntry {
  readonly code: string
  readonly message: string
  readonly longMessage: string
  readonly meta?: { readonly [key: string]: unknown } | undefined
}

/**
 * A failure the emulator answers in Clerk's envelope: `{ errors: [...], clerk_trace_id }` with this status.
 *
 * @internal
 */
export class ApiFailure extends Data.TaggedError("ApiFailure")<{
  readonly status: number
  readonly errors: ReadonlyArray<ErrorEntry>
  readonly headers?: Readonly<Record<string, string>> | undefined
}> {}

/** @internal */
export const failWith = (
  status: number,
  code: string,
  message: string,
  longMessage: string = message,
  meta?: { readonly [key: string]: unknown }
): Effect.Effect<never, ApiFailure> =>
  Effect.fail(new ApiFailure({ status, errors: [{ code, message, longMessage, meta }] }))

/**
 * The least value of each integer body field, by wire name, where it is not the least safe integer: the decoder
 * takes any safe integer and the handler refuses the rest, and either way the message names the range the field
 * takes.
 */
const integerMinimums: ReadonlyMap<string, string> = new Map([
  ["create_organizations_limit", "0 (no limit)"],
  ["amount", "1"]
])

/**
 * "`param` must be an integer from `min` to 2^53 − 1, not `actual`": the range a field takes, for every check that
 * refuses a value outside it.
 *
 * @internal
 */
export const integerRange = (param: string, actual: string): string =>
  `${param} must be an integer from ${
    integerMinimums.get(param) ?? Number.MIN_SAFE_INTEGER
  } to ${Number.MAX_SAFE_INTEGER}, not ${actual}`

/** @internal */
export const notFound = (what: string, id: string) =>
  failWith(404, "resource_not_found", "not found", `No ${what} was found with id ${id}`)

/** @internal */
export const paramMissing = (param: string) =>
  failWith(422, "form_param_missing", `${param} is missing`, `The ${param} parameter is required.`, {
    param_name: param
  })

/** @internal */
export const paramInvalid = (param: string, longMessage: string, status = 422) =>
  failWith(status, "form_param_format_invalid", `${param} is invalid`, longMessage, { param_name: param })

/** @internal */
export const identifierExists = (param: string, what: string) =>
  failWith(
    422,
    "form_identifier_exists",
    `That ${what} is taken. Please try another.`,
    `That ${what} is taken. Please try another.`,
    { param_name: param }
  )
