/**
 * `pnpm emulator [--port N] [--host H] [--seed file.json] [--no-rate-limit] [--no-validate]`: the Clerk emulator on
 * loopback (`--no-validate` skips validating requests against the spec, for benchmarks).
 * Prints the base URL and the secret key to use; stops cleanly on SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as EmulatorServer from "../EmulatorServer.js"

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

const program = Effect.gen(function*() {
  const portText = flag("--port")
  const port = portText === undefined ? 8787 : Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return yield* Effect.fail(`--port must be 0..65535, got ${portText}`)
  }
  const seedFile = flag("--seed")
  const seed = seedFile === undefined ? undefined : yield* Effect.try({
    try: () => JSON.parse(fs.readFileSync(seedFile, "utf8")) as unknown,
    catch: (e) => `cannot read --seed ${seedFile}: ${String(e)}`
  }).pipe(Effect.flatMap((json) => Schema.decodeUnknown(EmulatorServer.SeedJson)(json).pipe(Effect.mapError(String))))
  const server = yield* EmulatorServer.serve({
    port,
    host: flag("--host") ?? "127.0.0.1",
    seed,
    emulator: {
      ...(args.includes("--no-rate-limit") ? { rateLimit: false } : {}),
      ...(args.includes("--no-validate") ? { validateRequests: false } : {})
    }
  })
  yield* Console.log(
    `Clerk emulator listening on ${server.url} (Clerk's API under ${server.url}/v1, test endpoints under ${server.url}/__emulator)`
  )
  yield* Console.log(`  CLERK_API_URL=${server.url}`)
  yield* Console.log(`  CLERK_SECRET_KEY=${server.secretKey}`)
  yield* Console.log("Press Ctrl+C to stop.")
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.catchAll((error) =>
    Effect.andThen(Console.error(`emulator: ${String(error)}`), Effect.sync(() => (process.exitCode = 1)))
  )
)

NodeRuntime.runMain(program)
