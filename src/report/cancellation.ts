import type { Outcome } from './report.js'
import { Cancelled } from '../flow/time.js'

/**
 * A job cancelled in the middle of a run. The runner sends SIGINT, then SIGTERM 7.5 s later, then
 * kills the process. Node's default on a signal is to exit at once, which would leave the GitHub
 * deployment in_progress, the job summary empty and the log silent about where the domain was left.
 * While a run is on, the first signal instead:
 *
 * - aborts `signal`, and with it every AWS call, probe and sleep in flight: nothing more is sent,
 *   and no answer still on its way is acted on;
 * - ends the run with the outcome the current stage describes (`end` writes the error line and the
 *   job summary first, then closes the deployment), within GRACE_MS: `deadline` ends what is sent
 *   to GitHub then;
 * - has the process exit 1 once that is written (index.ts), or at the latest EXIT_MS after the
 *   signal, well before the runner's kill.
 *
 * Later signals are ignored while that is written.
 */
export interface Cancellation {
  /** Aborted, with a Cancelled reason, by the first signal. */
  signal: AbortSignal
  /** Aborted GRACE_MS after the first signal: the end of what may still be sent to GitHub. */
  deadline: AbortSignal
  /** From now on, a cancelled run ends with what `outcome` says for the signal received. */
  describe(outcome: (signal: string) => Outcome): void
  /**
   * The run is ending on its own: a signal from now on ends the process at once, as what the run
   * says of itself is being written. False when a cancellation is already ending it: the caller
   * then records nothing, so the run has one ending, not two.
   */
  stop(): boolean
  /** Settles once a cancellation's ending is written (never, while the run is not cancelled). */
  ended: Promise<void>
}

/** How long a cancelled run may take to record how it ended. */
export const GRACE_MS = 4_000
/** The process exits by then, whatever is still pending. */
const EXIT_MS = 4_800

export function handleCancellation(
  end: (outcome: Outcome) => Promise<void>,
  first: (signal: string) => Outcome
): Cancellation {
  const cancelled = new AbortController()
  const graceOver = new AbortController()
  let describe = first
  let markEnded: () => void = () => undefined
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve
  })
  const listener = (signal: NodeJS.Signals): void => {
    if (cancelled.signal.aborted) return
    process.exitCode = 1
    setTimeout(() => process.exit(1), EXIT_MS).unref()
    setTimeout(() => {
      graceOver.abort(new Cancelled(signal))
    }, GRACE_MS).unref()
    cancelled.abort(new Cancelled(signal))
    void end(describe(signal)).finally(markEnded)
  }
  process.on('SIGINT', listener)
  process.on('SIGTERM', listener)
  return {
    signal: cancelled.signal,
    deadline: graceOver.signal,
    describe: (outcome) => {
      describe = outcome
    },
    stop: () => {
      if (cancelled.signal.aborted) return false
      process.off('SIGINT', listener)
      process.off('SIGTERM', listener)
      const exitNow = (): void => process.exit()
      process.once('SIGINT', exitNow)
      process.once('SIGTERM', exitNow)
      return true
    },
    ended
  }
}
