/**
 * The `clerk-emulator` command (parsed by `@effect/cli`): options, seed file loading, and serving until interrupted.
 * `bin/emulator.ts` runs it; tests call `run` with an argv.
 *
 * @internal
 */
import * as AutoCorrect from "@effect/cli/AutoCorrect"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as util from "node:util"
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

/** A port as written on the command line: decimal digits only (no sign, fraction, exponent or hex), 0–65535. */
const parsePort = (text: string): Option.Option<number> => {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN
  return n <= 65535 ? Option.some(n) : Option.none()
}
const portNeeds = "a port number 0–65535"

// checkArgs has checked the text with parsePort; the range is checked again here for any other way in
const port = Options.integer("port").pipe(
  Options.withPseudoName("N"),
  Options.withDescription("Port to listen on (default 8787); 0 picks a free one."),
  Options.withDefault(8787),
  Options.filterMap((n) => (n >= 0 && n <= 65535 ? Option.some(n) : Option.none()), `--port needs ${portNeeds}`)
)
const host = Options.text("host").pipe(
  Options.withPseudoName("H"),
  Options.withDescription("Address to bind (default 127.0.0.1, loopback only)."),
  Options.withDefault("127.0.0.1")
)
// text, not Options.file: a missing or unreadable file is then said by readSeed, naming --seed
const seed = Options.text("seed").pipe(
  Options.withPseudoName("FILE"),
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
  Options.withPseudoName("URL"),
  Options.withDescription("A URL to send webhook events to (repeatable)."),
  Options.repeated
)

const oneOf = (values: ReadonlyArray<string>) => (value: string) => values.includes(value)

/**
 * The options taking a value (the built-in ones included): what the value is, for "--x needs a value: …", and the
 * check of values `@effect/cli` would otherwise refuse as an "unknown argument" (the built-ins) or take (`1e3`).
 */
const needs: Readonly<Record<string, { readonly what: string; readonly valid?: (value: string) => boolean }>> = {
  "--port": { what: portNeeds, valid: (value) => Option.isSome(parsePort(value)) },
  "--host": { what: "an address to bind, such as 127.0.0.1" },
  "--seed": { what: "a JSON file of users and organizations" },
  "--webhook": { what: "a URL to send webhook events to" },
  "--completions": { what: "a shell: sh, bash, fish or zsh", valid: oneOf(["sh", "bash", "fish", "zsh"]) },
  "--log-level": {
    what: "a level: all, trace, debug, info, warning, error, fatal or none",
    valid: oneOf(["all", "trace", "debug", "info", "warning", "error", "fatal", "none"])
  }
}
const repeatable = new Set(["--webhook"])
const switches = new Set(["--no-rate-limit", "--no-validate", "--help", "-h", "--version", "--wizard"])
/** The words `@effect/cli` takes as a switch's value when one follows it (`--no-validate false`). */
const switchValues = new Set(["true", "1", "y", "yes", "on", "false", "0", "n", "no", "off"])

/** The closest known option to a misspelt one, when it is close (as `@effect/cli` would correct it). */
const closest = (flag: string): string | undefined =>
  [...Object.keys(needs), ...switches].find((known) =>
    known.length > 3 && AutoCorrect.levensteinDistance(flag, known, CliConfig.defaultConfig) <= 2
  )

/**
 * Checks the arguments before `@effect/cli` parses them, so that each mistake is one line saying what is wrong: its
 * parser reports an option without its value (`--port` last, or followed by another option) as an "unknown
 * argument", silently ignores a trailing `--webhook`, and takes `--PORT` for `--port`. With `--help` asked for, help
 * wins.
 */
const checkArgs = (args: ReadonlyArray<string>): CliError | undefined => {
  if (args.includes("--help") || args.includes("-h")) return undefined
  const seen = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith("-")) {
      const afterSwitch = i > 0 && switches.has(args[i - 1]!) && switchValues.has(arg)
      if (afterSwitch) continue
      return new CliError(`unexpected argument '${arg}' (clerk-emulator takes options only: --help lists them)`)
    }
    const equals = arg.indexOf("=")
    const name = equals > 0 ? arg.slice(0, equals) : arg
    const need = needs[name]
    if (need === undefined && !switches.has(name)) {
      const guess = closest(name)
      return new CliError(
        `unknown option ${name} ${
          guess === undefined ? "(clerk-emulator --help lists them)" : `(did you mean ${guess}?)`
        }`
      )
    }
    if (seen.has(name) && !repeatable.has(name)) return new CliError(`${name} is given twice`)
    seen.add(name)
    if (need === undefined) continue
    const value = equals > 0 ? arg.slice(equals + 1) : args[i + 1]
    if (value === undefined || value === "" || (equals < 0 && value.startsWith("--"))) {
      return new CliError(`${name} needs a value: ${need.what}`)
    }
    if (need.valid !== undefined && !need.valid(value)) {
      return new CliError(`${name} needs ${need.what}, not '${value}'`)
    }
    if (equals < 0) i++
  }
  return undefined
}

/** The one-line reason a file could not be read. */
const readFailure = (error: PlatformError.PlatformError): string =>
  error._tag === "SystemError" && error.reason === "NotFound"
    ? "no such file"
    : `cannot read it (${error._tag === "SystemError" ? error.description ?? error.reason : error.message})`

/** Reads and decodes a seed file; every problem is one readable line naming the path in the file. */
export const readSeed = (file: string): Effect.Effect<ClerkEmulator.Seed, CliError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fsys = yield* FileSystem.FileSystem
    const text = yield* fsys.readFileString(file).pipe(
      Effect.mapError((error) => new CliError(`--seed ${file}: ${readFailure(error)}`))
    )
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      // V8 quotes the text around the fault, line breaks and all: one line, and not too long
      catch: (error) =>
        new CliError(
          `--seed ${file} is not JSON: ${
            error instanceof Error ? error.message.replace(/\s+/g, " ").slice(0, 200) : ""
          }`
        )
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

/**
 * Whether to colour what goes to `stream`: only a terminal, and not when `NO_COLOR` is set to something
 * (https://no-color.org) or `TERM` is `dumb`.
 */
export const colorsEnabled = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env["NO_COLOR"] ?? "") === "" && env["TERM"] !== "dumb"

/**
 * A console that writes `log`/`info` (stdout) and `error`/`warn` (stderr) without ANSI escapes where colours are off.
 * `@effect/cli` 0.77 renders help and errors with `@effect/printer-ansi` in its "pretty" style always (it has no
 * plain mode and looks at neither the terminal nor `NO_COLOR`) and prints them through `Console`.
 */
const plainWhereNoColors = (console: Console.Console, colors: Colors): Console.Console => {
  const plain = (args: ReadonlyArray<unknown>) =>
    args.map((arg) => (typeof arg === "string" ? util.stripVTControlCharacters(arg) : arg))
  return {
    ...console,
    ...(colors.stdout ? {} : {
      log: (...args) => console.log(...plain(args)),
      info: (...args) => console.info(...plain(args))
    }),
    ...(colors.stderr ? {} : {
      error: (...args) => console.error(...plain(args)),
      warn: (...args) => console.warn(...plain(args))
    })
  }
}

/** Whether stdout and stderr get colours. */
export interface Colors {
  readonly stdout: boolean
  readonly stderr: boolean
}

const cliApp = Command.run(command, { name: "clerk-emulator", version })

/**
 * Runs the command on `argv` (as `process.argv`: node and script first). Colours (in help) by default where
 * {@link colorsEnabled} says so for this process's stdout and stderr.
 */
export const run = (
  argv: ReadonlyArray<string>,
  options?: { readonly colors?: Colors | undefined }
) => {
  const colors = options?.colors ?? {
    stdout: colorsEnabled(process.stdout, process.env),
    stderr: colorsEnabled(process.stderr, process.env)
  }
  const invalid = checkArgs(argv.slice(2))
  const program = invalid === undefined ? cliApp(argv) : Effect.fail(invalid)
  return colors.stdout && colors.stderr
    ? program
    : Effect.consoleWith((console) => Effect.withConsole(program, plainWhereNoColors(console, colors)))
}
