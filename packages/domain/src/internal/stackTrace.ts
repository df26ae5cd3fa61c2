/**
 * Catalog errors are expected outcomes: constructing one captures no stack trace unless asked to.
 */
let capture = false

export const setCapture = (enabled: boolean): void => {
  capture = enabled
}

/** Wraps an error class so that constructing it captures no stack trace unless `setCapture(true)`. */
export const withoutStackTrace = <C extends new(...args: Array<any>) => object>(Base: C): C =>
  class extends Base {
    constructor(...args: Array<any>) {
      if (capture) {
        super(...args)
        return
      }
      // V8's stack depth (Node, Chromium); elsewhere the property does nothing.
      const errorClass = Error as { stackTraceLimit?: number | undefined }
      const limit = errorClass.stackTraceLimit
      errorClass.stackTraceLimit = 0
      try {
        super(...args)
      } finally {
        errorClass.stackTraceLimit = limit
      }
    }
  }
