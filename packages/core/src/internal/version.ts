/** @internal */
export const packageVersion = "0.1.0"
/** @internal */
export const apiVersion = "2026-05-12"
