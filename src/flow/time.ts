/**
 * The deadlines of a run, as AbortSignals: the job's cancellation, the time a stage may take (the
 * wait for a rollout), and the time one call or probe may take. A stage hands its signal down to
 * every call, probe and sleep it makes, so when it ends, the work in flight is aborted rather than
 * left running with its answer ignored. The signal's reason says why it ended.
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

/**
 * A signal that ends with `parent`, or when `ms` have passed, with a TimeUp naming `limit`. The
 * timer does not keep the process alive on its own.
 */
export function withDeadline(parent: AbortSignal, ms: number, limit: string): AbortSignal {
  const controller = new AbortController()
  if (parent.aborted) {
    controller.abort(parent.reason)
    return controller.signal
  }
  const timer = setTimeout(
    () => {
      controller.abort(new TimeUp(limit, ms))
    },
    Math.max(0, ms)
  )
  timer.unref()
  const onParent = (): void => {
    clearTimeout(timer)
    controller.abort(parent.reason)
  }
  parent.addEventListener('abort', onParent, { once: true })
  controller.signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer)
      parent.removeEventListener('abort', onParent)
    },
    { once: true }
  )
  return controller.signal
}

/** Whether the error is a cancellation of the job: nothing more may be done then. */
export function isCancelled(error: unknown): error is Cancelled {
  return error instanceof Cancelled
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

/** Waits `ms`, or less when the signal ends first (then rejects with its reason). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal })
  } catch (error) {
    if (signal.aborted) throw signal.reason
    throw error
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)
}
