#!/usr/bin/env node
/**
 * `clerk-emulator [--port N] [--host H] [--seed file.json] [--no-rate-limit] [--no-validate] [--webhook URL]...`:
 * the Clerk emulator as a local HTTP server (`clerk-emulator --help` lists the options). Prints `CLERK_API_URL` and
 * `CLERK_SECRET_KEY`; stops cleanly on SIGINT/SIGTERM (exit code 0). Bad arguments exit with 1.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Cli from "../internal/cli.js"

Cli.run(process.argv).pipe(
  Effect.catchIf(
    (error) => error instanceof Cli.CliError,
    (error) => Effect.andThen(Console.error(`clerk-emulator: ${error.message}`), Effect.fail(error))
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
