import type * as Effect from "effect/Effect"
import type { RawRequest, RawResponse } from "./router.js"

/** The pipeline without web objects; fails only with a dropped connection. @internal */
export type RawHandler = (
  request: RawRequest
) => Effect.Effect<RawResponse, { readonly kind: "refused" | "reset" }>

const handlers = new WeakMap<object, RawHandler>()

/**
 * The raw handler behind an emulator service (`ClerkEmulator.make` registers it), for `ClerkTest`'s in-process
 * client: no `Request`/`Response` built and read back per call. `undefined` for a service made elsewhere.
 *
 * @internal
 */
export const rawHandlerOf = (service: object): RawHandler | undefined => handlers.get(service)

/** @internal */
export const registerRawHandler = (service: object, handler: RawHandler): void => void handlers.set(service, handler)
