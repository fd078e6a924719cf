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
