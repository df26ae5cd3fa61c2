/**
 * The wall clock, for work that is about real time whatever clock its caller runs on: a job's lease (compared across
 * instances), a wait for a lock another process holds, a check of the database file every second. Under a test clock
 * moved by an hour such work would otherwise run once per simulated second, or never wake.
 */
import { Clock, Effect } from "effect"

const wallClock = Clock.make()

/** Runs `effect` on the wall clock. */
export const onWallClock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withClock(effect, wallClock)
