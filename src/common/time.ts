/**
 * Time, the one place that holds timers. Every deadline of a run is an AbortSignal: the job's
 * cancellation, the time a stage may take (the wait for a rollout, a rollback), the time one call or
 * one check of the edge may take. A stage hands its signal down to every call, probe and pause it
 * makes, so when it ends, the work in flight is aborted rather than left running with its answer
 * ignored. The signal's reason says why it ended. Tests give the run a fake Clock that moves only
 * when the run waits.
 */
import { setTimeout as wait } from 'node:timers/promises'

/** The job was cancelled (the runner's SIGINT or SIGTERM). */
export class Cancelled extends Error {
  readonly signal: string
  constructor(signal: string) {
    super(`the job was cancelled (${signal})`)
    this.name = 'Cancelled'
    this.signal = signal
  }
}

/** A stage's time ran out: `limit` names the input or rule that set it. */
export class TimeUp extends Error {
  readonly limit: string
  readonly ms: number
  constructor(limit: string, ms: number) {
    super(`${limit} ran out (${seconds(ms)} s)`)
    this.name = 'TimeUp'
    this.limit = limit
    this.ms = ms
  }
}

/** Time as a run sees it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now: () => number
  /** Waits `ms`, or rejects with the signal's reason as soon as it ends. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  /**
   * A signal that ends with `parent`, or when `ms` have passed, with a TimeUp naming `limit`.
   * Its timer does not keep the process alive on its own.
   */
  deadline: (parent: AbortSignal, ms: number, limit: string) => AbortSignal
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await wait(ms, undefined, { signal })
    } catch (error) {
      if (signal.aborted) throw signal.reason
      throw error
    }
  },
  deadline: (parent, ms, limit) => linked(parent, limit, ms, (fire) => later(ms, fire))
}

/**
 * A signal that ends with `parent`, or when `schedule` fires, with a TimeUp; `schedule` returns
 * how to cancel it. Fake clocks build their deadlines with it too.
 */
export function linked(
  parent: AbortSignal,
  limit: string,
  ms: number,
  schedule: (fire: () => void) => () => void
): AbortSignal {
  const controller = new AbortController()
  if (parent.aborted) {
    controller.abort(parent.reason)
    return controller.signal
  }
  const cancel = schedule(() => {
    controller.abort(new TimeUp(limit, ms))
  })
  const onParent = (): void => {
    controller.abort(parent.reason)
  }
  parent.addEventListener('abort', onParent, { once: true })
  controller.signal.addEventListener(
    'abort',
    () => {
      cancel()
      parent.removeEventListener('abort', onParent)
    },
    { once: true }
  )
  return controller.signal
}

/**
 * Runs `fire` after `ms` without keeping the process alive for it; returns how to cancel it. For
 * what is not a signal: the process's own exit after a cancellation.
 */
export function later(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, Math.max(0, ms))
  timer.unref()
  return () => {
    clearTimeout(timer)
  }
}

/** Whether the error is a cancellation of the job: nothing more may be done then. */
export function isCancelled(error: unknown): error is Cancelled {
  return error instanceof Cancelled
}

/** Whether the signal ended because its time ran out (not because the job was cancelled). */
export function timedOut(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof TimeUp
}

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it ends: for work that
 * may not listen to the signal itself (the SDK's credential providers).
 */
export async function within<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined)
    throw signal.reason
  }
  let onAbort: () => void = () => undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
    work.catch(() => undefined)
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)
}
