/**
 * The one marked boundary where library code that throws (tfjs, sharp, file readers) enters a stage's Effect.
 * A thrown error the caller expects (its package's tagged errors, picked by a guard) becomes the typed failure;
 * anything else is a defect of the stage's code, which the runner reports as that stage's failure with the
 * thrown message. No `catch: (e) => e`: what a stage can fail with is in its type.
 */
import { Effect } from "effect"

/** Guard for the tagged errors a library is known to throw. */
export type ErrorGuard<E> = (error: unknown) => error is E

/** Run synchronous throwing `work`; expected errors (by `isExpected`) fail typed, the rest die. */
export const trySync = <A, E>(work: () => A, isExpected: ErrorGuard<E>): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(work())
    } catch (error) {
      return isExpected(error) ? Effect.fail(error) : Effect.die(error)
    }
  })

/** Run asynchronous throwing `work`; expected errors (by `isExpected`) fail typed, the rest die. */
export const tryAsync = <A, E>(work: (signal: AbortSignal) => Promise<A>, isExpected: ErrorGuard<E>): Effect.Effect<A, E> =>
  Effect.tryPromise({ try: work, catch: (error) => error }).pipe(
    Effect.catchAll((error) => (isExpected(error) ? Effect.fail(error) : Effect.die(error))),
  )

/** A guard for errors of the given classes (`TypeError`, `StoreFileCorrupt`, …). */
export const instancesOf = <C extends ReadonlyArray<abstract new (...args: any) => unknown>>(...classes: C): ErrorGuard<InstanceType<C[number]>> =>
  (error: unknown): error is InstanceType<C[number]> => classes.some((c) => error instanceof c)

/** A guard for errors of the given tagged classes (`Data.TaggedError`). */
export const taggedErrors = <C extends ReadonlyArray<abstract new (...args: any) => { readonly _tag: string }>>(...classes: C): ErrorGuard<InstanceType<C[number]>> =>
  instancesOf(...classes)
