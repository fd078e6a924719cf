/**
 * The SDK and the platform pieces `bench/bodies.ts` runs it with, from the working tree this file is in: importing
 * another tree's copy (`BODIES_BEFORE`) puts two versions of the SDK side by side in one process.
 */
export { ClerkClient } from "@effect-clerk/core"
export { Users } from "@effect-clerk/users"
export * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
export * as FetchHttpClient from "@effect/platform/FetchHttpClient"
export * as HttpClient from "@effect/platform/HttpClient"
export * as HttpClientResponse from "@effect/platform/HttpClientResponse"
export * as Effect from "effect/Effect"
export * as Layer from "effect/Layer"
export * as ManagedRuntime from "effect/ManagedRuntime"
export * as Redacted from "effect/Redacted"
