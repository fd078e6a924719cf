// Lint and formatting after the Effect monorepo: typescript-eslint's strict rules, and dprint formatting through
// @effect/eslint-plugin (one formatter, run by `pnpm lint`, fixed by `pnpm lint:fix`).
import * as effectEslint from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/build/**",
      "**/node_modules/**",
      "**/.tsbuildinfo/**",
      "**/*.d.ts",
      "coverage/**",
      "bench/.bundle/**",
      ".readme-check/**"
    ]
  },
  ...tseslint.configs.strict,
  ...effectEslint.configs.dprint,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.mjs"],
    rules: {
      "@effect/dprint": [
        "error",
        {
          config: {
            indentWidth: 2,
            lineWidth: 120,
            semiColons: "asi",
            quoteStyle: "alwaysDouble",
            trailingCommas: "never",
            operatorPosition: "maintain",
            "arrowFunction.useParentheses": "force"
          }
        }
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_",
        varsIgnorePattern: "^_",
        destructuredArrayIgnorePattern: "^_"
      }],
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-dynamic-delete": "off"
    }
  },
  {
    files: ["**/test/**/*.ts"],
    rules: { "@typescript-eslint/no-extraneous-class": "off" }
  }
)
