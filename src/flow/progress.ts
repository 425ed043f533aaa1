/**
 * What a run has done and learnt so far (Progress), and how it ended (RunResult). The stages fill
 * in one Progress as they go and return a RunResult; none of them writes an output, an annotation
 * or the job summary. report/ turns them into all of that, and when the job is cancelled, it reads
 * the Progress as it stands.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm'
import type { Served } from '../aws/tls.js'
import type { Endpoint } from '../inputs/values.js'
import type { Settings } from '../inputs/settings.js'
import type { Finding, Verdict } from '../rules/certificate.js'
import type { Current, Plan } from '../rules/plan.js'

/** What the rules made of a certificate the run would send (forward, or back in a rollback). */
export type Checks =
  /** The change leaves the certificate as it is (a security policy or managed login change). */
  | { state: 'unchanged' }
  /** verify-certificate: false. */
  | { state: 'off' }
  /** ACM would not let the job read the certificate; the change goes ahead unchecked. */
  | { state: 'skipped'; why: string }
  /** It could not be read for another reason: it is not sent. */
  | { state: 'unread'; why: string; error: unknown }
  | {
      state: 'judged'
      verdict: Verdict
      facts?: string
      /** ACM's description of the certificate, when it has one. */
      certificate?: CertificateDetail
    }

/** What the certificate the domain serves now came to. */
export type InUse =
  /** Not looked at: verify-certificate: false, or a prefix domain (Amazon's certificate). */
  | { state: 'off' }
  /** It could not be read (a warning). */
  | { state: 'unread'; arn: string; why: string }
  | {
      state: 'judged'
      arn: string
      certificate: CertificateDetail
      verdict: Verdict
      facts: string
      days: number | undefined
    }

/** Where a followed change came to. */
export type Rollout =
  | { ok: true; status: string; seconds: number; served: Served | undefined }
  | {
      ok: false
      /**
       * unreachable: Cognito has the change ACTIVE, and no probe ever reached the edge, which
       * proves nothing about what browsers get (unlike wrong-certificate).
       */
      why: 'failed' | 'replaced' | 'timeout' | 'wrong-certificate' | 'unreachable'
      message: string
      status: string | undefined
      seconds: number
      served: Served | undefined
    }

/** What one look at the edge found, in a dry run. */
export type EdgeLook =
  /** Not looked at: verify-tls is off, or nowhere to look. */
  | { state: 'skipped'; why?: string }
  /** The look failed: the runner may have no route to the edge. */
  | { state: 'unreachable'; endpoint: Endpoint; why: string }
  | { state: 'served'; endpoint: Endpoint; served: Served }

/** Where the run stands: what a cancellation interrupts. */
export type Stage =
  /** Nothing has been sent: describing, reading, checking. */
  | 'before the change'
  /** UpdateUserPoolDomain is on its way, or being retried. */
  | 'sending'
  /** Following the change (sent, or found on the domain) to ACTIVE and to the edge. */
  | 'waiting'
  /** Putting back what the domain had. */
  | 'rolling back'
  /** The rollout was seen at the edge; deleting the certificate it replaced (retire-replaced). */
  | 'retiring'

/** A warning or an error for the run's annotations. */
export interface Note {
  level: 'warning' | 'error'
  title: string
  message: string
}

/** The certificate the domain carries as the run ends, and its whole days left. */
export interface Leaves {
  certificateArn: string | undefined
  days: number | undefined
}

/** Where the run's change stands. */
export type ChangeState =
  /** A dry run: a real run would send it. */
  | { state: 'would' }
  /** On the domain: Cognito accepted it, or a look found it there. */
  | { state: 'applied'; cloudFrontDomain: string | undefined }
  /** The update failed; the domain carries it or not as `leaves` says (unknown when undefined). */
  | { state: 'failed' }

export class Progress {
  stage: Stage = 'before the change'
  /** The domain as the run first described it. */
  current: Current | undefined = undefined
  /** The certificate the domain served when the run began, judged. */
  inUse: InUse | undefined = undefined
  /** What the run set out to do once it had looked. */
  plan: Plan | undefined = undefined
  /** The new certificate's pre-flight. */
  checks: Checks | undefined = undefined
  /** Warnings found once both certificates were read (one that expires before the other). */
  laterFindings: Finding[] = []
  /** Nothing sent, a change sent or found (undefined: none was made). */
  change: ChangeState | undefined = undefined
  /** When the change was first sent, or when a run that found it on the domain began to wait. */
  waitingSince: number | undefined = undefined
  /** True when the run found the change already on the domain and follows it without sending. */
  resumed = false
  /** The last status a poll saw, during the wait or the rollback. */
  lastStatus: string | undefined = undefined
  /** What the domain was last seen to carry while waiting, in a few words. */
  lastSeen: string | undefined = undefined
  rollout: Rollout | undefined = undefined
  /** What the edge served at the last check that reached it. */
  served: Served | undefined = undefined
  /** A dry run's look at the edge. */
  edge: EdgeLook | undefined = undefined
  /** Why the rollout failed, when a rollback follows. */
  rollingBackAfter: string | undefined = undefined
  leaves: Leaves | undefined = undefined
  /** The certificate this run imported (certificate-pem). */
  imported: string | undefined = undefined
  /** The certificate this run deleted from ACM (retire-replaced). */
  retired: string | undefined = undefined
  /** Whether retire-replaced sent DeleteCertificate (so a cancel can't tell whether it went through). */
  retireSent = false
  readonly notes: Note[] = []
  readonly settings: Settings
  private readonly onNote: (note: Note) => void

  /** `onNote` is told every warning and error as the run finds it. */
  constructor(settings: Settings, onNote: (note: Note) => void = () => undefined) {
    this.settings = settings
    this.onNote = onNote
  }

  warn(message: string, title: string): void {
    this.note({ level: 'warning', title, message })
  }

  error(message: string, title: string): void {
    this.note({ level: 'error', title, message })
  }

  private note(note: Note): void {
    this.notes.push(note)
    this.onNote(note)
  }
}

/** How a run ended. */
export interface RunResult {
  /** In a few words, for the summary's first row and the deployment: "Certificate changed and…". */
  result: string
  /** Why the step fails; absent when it succeeds. */
  failure?: string | undefined
  /** More to say in the summary, such as how to roll back. */
  detail?: string | undefined
  /** The domain already had what was asked for, so nothing was sent. */
  unchanged?: boolean
  /** The error behind the failure, when one is: debug logging shows its stack. */
  cause?: unknown
}
