/**
 * @effect-clerk/testing: an in-memory Clerk for tests, and the same emulator as a local HTTP server.
 *
 * @since 0.1.0
 */

/**
 * The emulator service: state, seeding, faults, time.
 *
 * @since 0.1.0
 */
export { ClerkEmulator } from "./ClerkEmulator.js"

/**
 * The test layer.
 *
 * @since 0.1.0
 */
export * as ClerkTest from "./ClerkTest.js"

/**
 * The emulator as a local HTTP server.
 *
 * @since 0.1.0
 */
export * as EmulatorServer from "./EmulatorServer.js"
