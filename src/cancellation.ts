import { logLines, type Outcome } from './report.js'

/**
 * A job cancelled in the middle of a run. The runner sends SIGINT, then SIGTERM 7.5 s later, then
 * kills the process. Node's default on a signal is to exit at once, which would leave the GitHub
 * deployment in_progress, the job summary empty and the log silent about where the domain was left.
 * While a run is on, the first signal ends it instead with the outcome the current stage describes
 * (logged, recorded by `end`), and the process then exits 1. Later signals are ignored while that
 * is written; the runner's kill still ends it.
 */
export interface Cancellation {
  /** From now on, a cancelled run ends with what `outcome` says for the signal received. */
  describe(outcome: (signal: string) => Outcome): void
  /**
   * Before a step that changes the domain: never settles once the job is cancelled (the run goes
   * on while the cancellation is being recorded, and must send nothing then); otherwise describes
   * a cancellation from now on as `outcome` says, and resolves.
   */
  beforeChange(outcome: (signal: string) => Outcome): Promise<void>
  /**
   * The run is ending on its own: signals get node's default again. False when a cancellation is
   * already ending it: the caller then records nothing, so the run has one ending, not two.
   */
  stop(): boolean
}

/** Set by the first signal; for the whole process, since a cancelled job stops all of its work. */
let cancelled = false

/**
 * Resolves at once while the run goes on; never once the job is cancelled. Every AWS call (a poll
 * too) and every probe of the edge waits on it before it is sent and before its answer is used:
 * after the signal the run starts nothing new and acts on nothing it hears, while the cancellation
 * is recorded and the process exits.
 */
export function stillRunning(): Promise<void> {
  return cancelled ? new Promise<void>(() => undefined) : Promise.resolve()
}

export function handleCancellation(
  end: (outcome: Outcome) => Promise<void>,
  first: (signal: string) => Outcome
): Cancellation {
  let describe = first
  const listener = (signal: NodeJS.Signals): void => {
    if (cancelled) return
    cancelled = true
    const outcome = describe(signal)
    if (outcome.failure !== undefined) logLines(outcome.failure)
    void end(outcome).finally(() => process.exit(1))
  }
  process.on('SIGINT', listener)
  process.on('SIGTERM', listener)
  const setDescription = (outcome: (signal: string) => Outcome): void => {
    describe = outcome
  }
  return {
    describe: setDescription,
    beforeChange: async (outcome) => {
      await stillRunning()
      setDescription(outcome)
    },
    stop: () => {
      if (cancelled) return false
      process.off('SIGINT', listener)
      process.off('SIGTERM', listener)
      return true
    }
  }
}
