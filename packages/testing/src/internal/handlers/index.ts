import { billingRoutes } from "./billing.js"
import { credentialRoutes } from "./credentials.js"
import { deviceRoutes } from "./devices.js"
import { identityRoutes } from "./identities.js"
import { metadataRoutes } from "./metadata.js"
import { organizationRoutes } from "./organizations.js"
import type { Context, Route } from "./shared.js"
import { userRoutes } from "./users.js"

/** @internal */
export type { Context, HandlerInput, Route } from "./shared.js"

/**
 * Every route of the emulator, from the handler modules (one per concern). Each handler reads through the store and
 * changes state only through its writers.
 *
 * @internal
 */
export const makeRoutes = (ctx: Context): ReadonlyArray<Route> => [
  ...userRoutes(ctx),
  ...metadataRoutes(ctx),
  ...credentialRoutes(ctx),
  ...identityRoutes(ctx),
  ...billingRoutes(ctx),
  ...organizationRoutes(ctx),
  ...deviceRoutes(ctx)
]
