/** What every stage of a run works with. */
import type { Settings } from '../inputs/settings.js'
import type { CertificateReader } from './certificates.js'
import type { Ports } from './ports.js'
import type { Progress } from './progress.js'

/** The run's world, its settings, what it has learnt so far, and its certificates. */
export interface Run {
  ports: Ports
  settings: Settings
  progress: Progress
  certificates: CertificateReader
  /** The job's cancellation: every call, pause and wait ends with it. */
  cancel: AbortSignal
}
