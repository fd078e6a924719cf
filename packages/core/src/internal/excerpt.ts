/**
 * At most `max` characters of a body, for error messages: enough to recognise an HTML page or a truncated JSON
 * document, never the whole payload.
 *
 * @internal
 */
export const excerpt = (body: string, max = 1024): string => (body.length <= max ? body : `${body.slice(0, max)}…`)
