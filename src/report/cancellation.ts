import { Cancelled, later } from '../common/time.js'

/**
 * A job cancelled in the middle of a run. The runner sends SIGINT, then SIGTERM 7.5 s later, then
 * kills the process. Node's default on a signal is to exit at once, which would leave the GitHub
 * deployment in_progress, the job summary empty and the log silent about where the domain was left.
 * While a run is on, the first signal instead:
 *
 * - aborts `signal`, and with it every AWS call, probe and pause in flight: nothing more is sent,
 *   and no answer still on its way is acted on;
 * - ends the run with what its progress says (`end` writes the error line, the outputs and the job
 *   summary first, then closes the deployment), within GRACE_MS: `deadline` ends what is sent to
 *   GitHub then;
 * - has the process exit 1 once that is written (index.ts), or at the latest EXIT_MS after the
 *   signal, well before the runner's kill.
 *
 * Later signals are ignored while that is written. A signal that comes while the run writes its
 * own ending lets that ending be written too, within the same bounds.
 */
export interface Cancellation {
  /** Aborted, with a Cancelled reason, by the first signal. */
  signal: AbortSignal
  /** Aborted GRACE_MS after the first signal: the end of what may still be sent to GitHub. */
  deadline: AbortSignal
  /**
   * The run is ending on its own. False when a cancellation is already ending it: the caller then
   * records nothing, so the run has one ending, not two.
   */
  stop(): boolean
  /** Settles once a cancellation's ending is written (never, while the run is not cancelled). */
  ended: Promise<void>
}

/** How long a cancelled run may take to record how it ended. */
export const GRACE_MS = 4_000
/** The process exits by then, whatever is still pending. */
const EXIT_MS = 4_800

export function handleCancellation(end: (signal: string) => Promise<void>): Cancellation {
  const cancelled = new AbortController()
  const graceOver = new AbortController()
  let markEnded: () => void = () => undefined
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve
  })
  let bounded = false
  /** The process's own bounds after a signal: GitHub calls end, then the process does. */
  const bound = (signal: string): void => {
    if (bounded) return
    bounded = true
    later(EXIT_MS, () => process.exit())
    later(GRACE_MS, () => {
      graceOver.abort(new Cancelled(signal))
    })
  }
  const listener = (signal: NodeJS.Signals): void => {
    if (cancelled.signal.aborted) return
    process.exitCode = 1
    bound(signal)
    cancelled.abort(new Cancelled(signal))
    void end(signal).finally(markEnded)
  }
  process.on('SIGINT', listener)
  process.on('SIGTERM', listener)
  return {
    signal: cancelled.signal,
    deadline: graceOver.signal,
    stop: () => {
      if (cancelled.signal.aborted) return false
      process.off('SIGINT', listener)
      process.off('SIGTERM', listener)
      // The run's own ending is being written: it goes on, within the bounds of a cancellation.
      const whileEnding = (signal: NodeJS.Signals): void => {
        bound(signal)
      }
      process.on('SIGINT', whileEnding)
      process.on('SIGTERM', whileEnding)
      return true
    },
    ended
  }
}
