import { linked, type Clock } from '../../src/common/time.js'

/**
 * Virtual time for the flow tests. Time moves only when everything the run is waiting for is a
 * timer of this clock: then it jumps to the earliest one and fires it (a pause ends, a deadline's
 * signal aborts). A call that never answers is a stall: time jumps to the deadline that ends it.
 * An hour-long wait takes milliseconds.
 */
export class FakeClock implements Clock {
  private at: number
  private sequence = 0
  private timers: { at: number; order: number; fire: () => void; done: boolean }[] = []
  private ticking = false
  /** Every pause the run asked for, in ms. */
  readonly sleeps: number[] = []

  constructor(start = Date.parse('2026-12-01T12:00:00Z')) {
    this.at = start
  }

  now = (): number => this.at

  sleep = (ms: number, signal: AbortSignal): Promise<void> => {
    this.sleeps.push(ms)
    return this.wait(ms, signal)
  }

  deadline = (parent: AbortSignal, ms: number, limit: string): AbortSignal =>
    linked(parent, limit, ms, (fire) => this.schedule(ms, fire))

  /** Waits `ms` of virtual time (for fakes that take time), ended by the signal. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason as Error)
        return
      }
      const onAbort = (): void => {
        cancel()
        reject(signal.reason as Error)
      }
      const cancel = this.schedule(ms, () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      })
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Never answers: only the signal ends it (a stalled call, a hung connection). */
  never(signal: AbortSignal): Promise<never> {
    return new Promise((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason as Error)
      signal.addEventListener('abort', () => {
        reject(signal.reason as Error)
      })
    })
  }

  private schedule(ms: number, fire: () => void): () => void {
    const timer = { at: this.at + Math.max(0, ms), order: this.sequence++, fire, done: false }
    this.timers.push(timer)
    this.tick()
    return () => {
      timer.done = true
    }
  }

  /** Once the run has nothing left to do but wait, the earliest timer fires. */
  private tick(): void {
    if (this.ticking) return
    this.ticking = true
    setImmediate(() => {
      this.ticking = false
      this.timers = this.timers.filter((timer) => !timer.done)
      const next = this.timers.reduce<(typeof this.timers)[number] | undefined>(
        (earliest, timer) =>
          earliest === undefined ||
          timer.at < earliest.at ||
          (timer.at === earliest.at && timer.order < earliest.order)
            ? timer
            : earliest,
        undefined
      )
      if (next === undefined) return
      next.done = true
      this.at = Math.max(this.at, next.at)
      next.fire()
      this.tick()
    })
  }
}
