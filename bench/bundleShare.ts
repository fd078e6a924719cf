/**
 * What each source module costs a gzipped bundle: gzip does not split by module, so a module's share is measured by
 * removal, the bytes the gzipped bundle loses when the output the source map attributes to that module is cut out
 * (the rest left as is; the result is only compressed, never run). Shares do not add up to the whole exactly (a
 * module's text also serves as gzip context for others), but they rank what a bundle pays for.
 */
import * as zlib from "node:zlib"

const base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Source Map v3 `mappings`: per generated line, the segments' [column, source index] (absolute), in order. */
const decodeMappings = (mappings: string): Array<Array<readonly [number, number | undefined]>> => {
  const lines: Array<Array<readonly [number, number | undefined]>> = []
  let source = 0
  for (const line of mappings.split(";")) {
    const segments: Array<readonly [number, number | undefined]> = []
    let column = 0
    for (const segment of line.split(",")) {
      if (segment === "") continue
      const fields: Array<number> = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = base64.indexOf(char)
        value += (digit & 31) << shift
        if (digit & 32) {
          shift += 5
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      column += fields[0] ?? 0
      if (fields.length > 1) source += fields[1]!
      segments.push([column, fields.length > 1 ? source : undefined])
    }
    lines.push(segments)
  }
  return lines
}

const gzipSize = (text: string) => zlib.gzipSync(text, { level: 9 }).length

/**
 * The gzip share (bytes, level 9) and the output characters of every source whose path passes `keep`, largest share
 * first.
 */
export const gzipShares = (
  code: string,
  sourceMap: { readonly sources: ReadonlyArray<string>; readonly mappings: string },
  keep: (source: string) => boolean
): Array<{ readonly source: string; readonly chars: number; readonly gzip: number }> => {
  const lines = code.split("\n")
  const owners = decodeMappings(sourceMap.mappings).map((segments, i) => {
    const line = lines[i] ?? ""
    const owner = new Int32Array(line.length).fill(-1)
    segments.forEach(([column, source], j) => {
      if (source !== undefined) owner.fill(source, column, segments[j + 1]?.[0] ?? line.length)
    })
    return owner
  })
  const total = gzipSize(code)
  return sourceMap.sources.flatMap((source, index) => {
    if (!keep(source)) return []
    let chars = 0
    const without = lines.map((line, i) => {
      const owner = owners[i]
      if (owner === undefined) return line
      let out = ""
      for (let c = 0; c < line.length; c++) {
        if (owner[c] === index) chars++
        else out += line[c]
      }
      return out
    }).join("\n")
    return chars === 0 ? [] : [{ source, chars, gzip: total - gzipSize(without) }]
  }).sort((a, b) => b.gzip - a.gzip)
}
