import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: { conditions: ["@effect-clerk/source"] },
  ssr: { resolve: { conditions: ["@effect-clerk/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    globalSetup: ["scripts/vitest/redis.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false }
  }
})
