/**
 * How an Errata server logs the requests it turns away before routing (429 from the rate limit, 503 from admission):
 * one line each, like any error response, up to a number per second; past it, they are counted, and when the second
 * ends one line per error code says how many were not logged one by one. An overload that the server sheds cheaply
 * must not be paid for again in log lines.
 */

/** Lines per second for the requests turned away; the rest of the second is counted. */
export const linesPerSecond = 10

/** The requests of one code not logged one by one in a second. */
export interface Skipped {
  readonly code: string
  readonly status: number
  count: number
}

export interface RejectionLog {
  /** Whether the request turned away at `now` is logged; if not, it is counted. */
  readonly note: (code: string, status: number, now: number) => boolean
}

/** `flush` is given, at the end of each second in which some were not logged, how many of each code. */
export const make = (flush: (skipped: ReadonlyArray<Skipped>) => void): RejectionLog => {
  let second = 0
  let lines = 0
  let skipped = new Map<string, Skipped>()
  let timer: ReturnType<typeof setTimeout> | undefined
  const report = () => {
    timer = undefined
    const counted = Array.from(skipped.values())
    skipped = new Map()
    flush(counted)
  }
  return {
    note: (code, status, now) => {
      const current = Math.floor(now / 1000)
      if (current !== second) {
        second = current
        lines = 0
      }
      if (lines < linesPerSecond) {
        lines++
        return true
      }
      const entry = skipped.get(code)
      if (entry === undefined) skipped.set(code, { code, status, count: 1 })
      else entry.count++
      timer ??= setTimeout(report, 1000 - (now % 1000)).unref()
      return false
    }
  }
}
