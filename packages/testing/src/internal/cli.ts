/**
 * The `clerk-emulator` command (parsed by `@effect/cli`): options, seed file loading, and serving until interrupted.
 * `bin/emulator.ts` runs it; tests call `run` with an argv.
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import type * as ClerkEmulator from "../ClerkEmulator.js"
import * as EmulatorServer from "../EmulatorServer.js"
import { packageJsonUrl } from "./packageFiles.js"
import { formatPath } from "./seed.js"

/** The package's version, read from its package.json. */
export const version: string = (() => {
  const json: unknown = JSON.parse(fs.readFileSync(packageJsonUrl, "utf8"))
  return typeof json === "object" && json !== null && "version" in json && typeof json.version === "string"
    ? json.version
    : "0.0.0"
})()

/** A CLI failure: printed as `clerk-emulator: <message>`, exit code 1. */
export class CliError extends Error {
  readonly _tag = "CliError"
}

const port = Options.integer("port").pipe(
  Options.withDescription("Port to listen on (default 8787); 0 picks a free one."),
  Options.withDefault(8787),
  Options.filterMap(
    (n) => (Number.isInteger(n) && n >= 0 && n <= 65535 ? Option.some(n) : Option.none()),
    "--port must be an integer in 0..65535"
  )
)
const host = Options.text("host").pipe(
  Options.withDescription("Address to bind (default 127.0.0.1, loopback only)."),
  Options.withDefault("127.0.0.1")
)
const seed = Options.file("seed", { exists: "yes" }).pipe(
  Options.withDescription("A JSON file of users and organizations to start with (see examples/seed.json)."),
  Options.optional
)
const noRateLimit = Options.boolean("no-rate-limit").pipe(
  Options.withDescription("Do not enforce Clerk's rate limits (100 / 10 s for sk_test_ keys).")
)
const noValidate = Options.boolean("no-validate").pipe(
  Options.withDescription("Do not validate requests against Clerk's OpenAPI spec (faster, for benchmarks).")
)
const webhook = Options.text("webhook").pipe(
  Options.withDescription("A URL to send webhook events to (repeatable)."),
  Options.repeated
)

/** Reads and decodes a seed file; every problem is one readable line naming the path in the file. */
export const readSeed = (file: string): Effect.Effect<ClerkEmulator.Seed, CliError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fsys = yield* FileSystem.FileSystem
    const text = yield* fsys.readFileString(file).pipe(
      Effect.mapError((error) => new CliError(`cannot read --seed ${file}: ${error.message}`))
    )
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) => new CliError(`--seed ${file} is not JSON: ${error instanceof Error ? error.message : ""}`)
    })
    return yield* Schema.decodeUnknown(EmulatorServer.SeedJson, { onExcessProperty: "error" })(json).pipe(
      Effect.mapError((error) => {
        // an optional field's "Expected undefined" branch only repeats the real issue found under it
        const issues = ParseResult.ArrayFormatter.formatErrorSync(error).filter((issue) =>
          !issue.message.startsWith("Expected undefined")
        )
        const lines = issues.slice(0, 10).map((issue) => `  at ${formatPath(issue.path)}: ${issue.message}`)
        return new CliError(`--seed ${file} is not a valid seed:\n${lines.join("\n")}`)
      })
    )
  })

/**
 * Completes once the process that started this one has exited (this process was re-parented). `npx` and
 * `npm exec` start a bin through `sh -c`, which does not pass SIGTERM on: a SIGTERM to npx ends npx and the shell,
 * and the end of the parent is then the signal to stop.
 */
const parentExited = Effect.suspend(() => {
  const parent = process.ppid
  return Effect.sleep("250 millis").pipe(Effect.repeat({ until: () => process.ppid !== parent }))
})

const command = Command.make(
  "clerk-emulator",
  { port, host, seed, noRateLimit, noValidate, webhook },
  (options) =>
    Effect.gen(function*() {
      const seedValue = Option.isSome(options.seed) ? yield* readSeed(options.seed.value) : undefined
      const server = yield* EmulatorServer.serve({
        port: options.port,
        host: options.host,
        seed: seedValue,
        webhooks: options.webhook,
        emulator: {
          ...(options.noRateLimit ? { rateLimit: false } : {}),
          ...(options.noValidate ? { validateRequests: false } : {})
        }
      }).pipe(Effect.mapError((error) =>
        new CliError(
          Option.isSome(options.seed)
            ? error.message.replace(/^cannot seed: /, `--seed ${options.seed.value}: `)
            : error.message
        )
      ))
      yield* Console.log(
        `Clerk emulator listening on ${server.url} (Clerk's API under ${server.url}/v1, test endpoints under ${server.url}/__emulator)`
      )
      yield* Console.log(`  CLERK_API_URL=${server.url}`)
      yield* Console.log(`  CLERK_SECRET_KEY=${server.secretKey}`)
      if (server.webhookSecret !== undefined) {
        yield* Console.log(`  CLERK_WEBHOOK_SIGNING_SECRET=${Redacted.value(server.webhookSecret)}`)
      }
      yield* Console.log("Press Ctrl+C to stop.")
      yield* parentExited
      yield* Console.log("The parent process exited: stopping.")
    }).pipe(Effect.scoped)
).pipe(
  Command.withDescription(
    "An in-memory Clerk Backend API (Users) on a local port, checked against Clerk's OpenAPI spec. Prints the " +
      "CLERK_API_URL and CLERK_SECRET_KEY to use; stops on SIGINT/SIGTERM."
  )
)

/** Runs the command on `argv` (as `process.argv`: node and script first). */
export const run = Command.run(command, { name: "clerk-emulator", version })
