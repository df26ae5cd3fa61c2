/**
 * An attempt's timeout. `Effect.timeoutFail` races two fibers; on the live clock one child fiber and a platform timer
 * do the same for a third of the cost. Under another clock (`TestClock`) it is `Effect.timeoutFail`, which follows it.
 */
import { Clock, Context, DefaultServices, Effect, Fiber } from "effect"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/** The longest delay a platform timer takes (about 24.8 days); a longer timeout is none. */
const maxTimer = 2 ** 31 - 1

export const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.withFiberRuntime((fiber) => {
    if (!(millis < maxTimer)) return self
    if (Context.get(fiber.getFiberRef(DefaultServices.currentServices), Clock.Clock) !== liveClock) {
      return Effect.timeoutFail(self, { duration: millis, onTimeout })
    }
    return Effect.flatMap(Effect.fork(self), (child) =>
      Effect.async<A, E | E2>((resume) => {
        let done = false
        const timer = setTimeout(() => {
          if (done) return
          done = true
          resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
        }, millis)
        child.addObserver((exit) => {
          if (done) return
          done = true
          clearTimeout(timer)
          resume(exit)
        })
        return Effect.suspend(() => {
          done = true
          clearTimeout(timer)
          return Fiber.interrupt(child)
        })
      }))
  })
