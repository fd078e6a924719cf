/**
 * The emulator server in a child process (so it does not share the clients' event loop), rate limit and spec
 * validation off, on a free port: what `bench/run.ts` and `bench/profile-throughput.ts` measure clients against.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")

export const startServer = () =>
  new Promise<{ readonly url: string; readonly key: string; readonly child: ChildProcess }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@effect-clerk/source",
        "--import",
        "tsx",
        path.join(root, "packages/testing/src/bin/emulator.ts"),
        "--port",
        "0",
        "--no-rate-limit",
        "--no-validate"
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] }
    )
    let text = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString()
      const url = /CLERK_API_URL=(\S+)/.exec(text)?.[1]
      const key = /CLERK_SECRET_KEY=(\S+)/.exec(text)?.[1]
      if (url !== undefined && key !== undefined) resolve({ url, key, child })
    })
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)))
  })
