/**
 * Vitest global setup: a real Redis for the shared rate-limit tests. Uses REDIS_URL when set (CI may start its
 * own), otherwise spawns `redis-server` on a free loopback port for the run and stops it afterwards. Without
 * either, the Redis tests fail with a message saying how to get one: they are never skipped silently.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as net from "node:net"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const waitForPort = async (port: number, deadline: number): Promise<boolean> => {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1")
      socket.once("connect", () => {
        socket.destroy()
        resolve(true)
      })
      socket.once("error", () => resolve(false))
    })
    if (ok) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

let child: ChildProcess | undefined

export async function setup() {
  if (process.env["REDIS_URL"]) return
  const port = await freePort()
  try {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore"
    })
    await new Promise<void>((resolve, reject) => {
      child?.once("error", reject)
      child?.once("spawn", () => resolve())
    })
  } catch {
    process.env["REDIS_SETUP_ERROR"] =
      "redis-server is not installed: apt-get install -y redis-server (or set REDIS_URL to a running Redis)"
    return
  }
  if (await waitForPort(port, Date.now() + 10_000)) process.env["REDIS_URL"] = `redis://127.0.0.1:${port}`
  else process.env["REDIS_SETUP_ERROR"] = `redis-server did not start on port ${port}`
}

export async function teardown() {
  child?.kill("SIGTERM")
}
