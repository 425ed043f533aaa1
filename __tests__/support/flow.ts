import { Cancelled, isCancelled } from '../../src/common/time.js'
import { cancelledResult } from '../../src/flow/cancelled.js'
import type { Ports } from '../../src/flow/ports.js'
import { Progress, type Note, type RunResult } from '../../src/flow/progress.js'
import { rotate } from '../../src/flow/rotate.js'
import type { RawInputs } from '../../src/inputs/settings.js'
import type { CheckedPem } from '../../src/rules/pem.js'
import { outputsOf, summaryRows } from '../../src/report/report.js'
import { certificate, NEW, OLD, World, type Call } from './fake-aws.ts'
import { FakeClock } from './fake-clock.ts'
import { settingsFor } from './settings.ts'

/** One run of the flow against the fakes, and all it left. */
export interface FlowRun {
  result: RunResult
  progress: Progress
  /** The step's outputs, as report/ writes them from the progress. */
  outputs: Record<string, string>
  /** The job summary's rows, by name. */
  summary: Record<string, string>
  lines: string[]
  warnings: Note[]
  errors: Note[]
  world: World
  /** True when the run was cancelled (cancelWhen). */
  cancelled: boolean
  /** Virtual seconds the run took. */
  seconds: number
}

export interface FlowOptions {
  inputs?: Partial<RawInputs>
  /** A certificate given as PEM, checked (certificate-pem), in place of certificate-arn. */
  pem?: CheckedPem
  /** Scripts the fakes before the run: certificates, steps, the domain's state. */
  setup?: (world: World) => void
  /** Cancels the job (SIGINT) as this call starts. */
  cancelWhen?: (call: Call, world: World) => boolean
  /** Cancels the job (SIGINT) this many virtual ms after the run starts (during a pause, say). */
  cancelAt?: number
}

/**
 * Runs rotate() against fake Cognito, ACM, edge and clock: the domain auth.example.com of pool
 * eu-west-1_AbC123 carries OLD (200 days left), and NEW (400 days) is asked for unless the inputs
 * say otherwise.
 */
export async function runFlow(options: FlowOptions = {}): Promise<FlowRun> {
  const clock = new FakeClock()
  const world = new World(clock)
  const asked = settingsFor(options.inputs)
  const settings =
    options.pem === undefined
      ? asked
      : { ...asked, certificateArn: undefined, pem: { checked: options.pem, warnings: [] } }
  world.attemptMs = settings.limits.attemptMs
  world.acm.add(certificate(OLD, { days: 200 }), certificate(NEW, { days: 400 }))
  options.setup?.(world)
  const cancel = new AbortController()
  const cancelWhen = options.cancelWhen
  if (cancelWhen !== undefined)
    world.onCall = (call) => {
      if (cancel.signal.aborted || !cancelWhen(call, world)) return
      world.cancelled()
      cancel.abort(new Cancelled('SIGINT'))
    }
  const cancelAt = options.cancelAt
  if (cancelAt !== undefined)
    void clock.wait(cancelAt, new AbortController().signal).then(() => {
      world.cancelled()
      cancel.abort(new Cancelled('SIGINT'))
    })
  const lines: string[] = []
  const notes: Note[] = []
  const ports: Ports = {
    cognito: world.cognito,
    acm: world.acm,
    edge: world.edge,
    clock,
    log: (line) => lines.push(line)
  }
  const progress = new Progress(settings, (note) => notes.push(note))
  const started = clock.now()
  let result: RunResult
  let cancelled = false
  try {
    result = await rotate(ports, settings, progress, cancel.signal)
  } catch (error) {
    if (!isCancelled(error)) throw error
    cancelled = true
    result = cancelledResult(progress, error.signal, clock.now())
  }
  return {
    result,
    progress,
    outputs: outputsOf(progress),
    summary: Object.fromEntries(summaryRows(result, { progress })),
    lines,
    warnings: notes.filter((note) => note.level === 'warning'),
    errors: notes.filter((note) => note.level === 'error'),
    world,
    cancelled,
    seconds: (clock.now() - started) / 1000
  }
}
