import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import { AttemptTimedOut, NotAnAwsAnswer } from '../../src/aws/attempts.js'
import { CallFailed, type AwsCall } from '../../src/aws/errors.js'
import { colonHex, type Served } from '../../src/aws/tls.js'
import type { AcmPort, CognitoPort, EdgePort } from '../../src/flow/ports.js'
import type { Endpoint } from '../../src/inputs/values.js'
import type { FakeClock } from './fake-clock.ts'

/**
 * Cognito, ACM and the edge for the flow tests: small typed objects that keep a domain and its
 * certificates as AWS would, answer as the real adapters (aws/) do, errors included, and can be
 * scripted call by call to race the run: another change before or after a look, a lost answer, a
 * stalled call, a page that is not AWS's. Every call is recorded with its virtual time.
 */
export const POOL = 'eu-west-1_AbC123'
export const DOMAIN = 'auth.example.com'
export const CLOUDFRONT = 'd111111abcdef8.cloudfront.net'
export const arn = (id: string): string => `arn:aws:acm:us-east-1:123456789012:certificate/${id}`
export const OLD = arn('old')
export const NEW = arn('new')
export const OTHER = arn('other')

const DAY = 24 * 60 * 60 * 1000

export type Operation =
  | 'describe'
  | 'poll'
  | 'update'
  | 'describeCertificate'
  | 'listIssued'
  | 'listTags'
  | 'import'
  | 'delete'
  | 'edge'

export interface Call {
  op: Operation
  at: number
  /** The update's request, the certificate's ARN, the edge's host. */
  request?: UpdateUserPoolDomainRequest
  arn?: string
  /** Set once the run has been told the outcome. */
  settled?: 'answered' | 'failed'
}

/**
 * What a scripted step gets: the attempt's signal (it ends at attempt-timeout-seconds, as the
 * adapters' attempts do, or with the stage), the default behaviour, and the fakes.
 */
export interface StepContext<T> {
  signal: AbortSignal
  proceed: () => Promise<T>
  world: World
  call: Call
}

export type Step<T = unknown> = (context: StepContext<T>) => Promise<T>

/** An error of a service, as the SDK raises it. */
export function serviceError(name: string, status = 400, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
}

const CALLS: Record<Operation, AwsCall> = {
  describe: 'DescribeUserPoolDomain',
  poll: 'DescribeUserPoolDomain',
  update: 'UpdateUserPoolDomain',
  describeCertificate: 'DescribeCertificate',
  listIssued: 'ListCertificates',
  listTags: 'ListTagsForCertificate',
  import: 'ImportCertificate',
  delete: 'DeleteCertificate',
  edge: 'DescribeUserPoolDomain'
}

/** A call failed as the adapters report it. */
export function failed(op: Operation, cause: unknown, uncertain = false): CallFailed {
  return new CallFailed(CALLS[op], 'the test', cause, uncertain, 1)
}

// Steps, for any operation.

/** Refused by the service (certain: nothing was done). */
export const refuse =
  (name: string, status = 400): Step =>
  ({ call }) =>
    Promise.reject(failed(call.op, serviceError(name, status)))

export const throttle = (): Step => refuse('TooManyRequestsException')

/** Carried out, and the connection drops before the answer. */
export const lose =
  (): Step =>
  async ({ proceed, call }) => {
    await proceed()
    throw failed(call.op, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true)
  }

/** Never answered: the attempt's deadline ends it (uncertain), or the stage's signal does. */
export const stall =
  (): Step =>
  ({ signal, world }) =>
    world.clock.never(signal)

/** A page that is not AWS's (a gateway's HTML, JSON cut off), after forwarding it or not. */
export const page =
  (status: number, forwarded: boolean, body = '<html>Bad gateway</html>'): Step =>
  async ({ proceed, call }) => {
    if (forwarded) await proceed()
    throw failed(call.op, new NotAnAwsAnswer(status, 'text/html', body), true)
  }

/** The call as the world answers it: a step that changes nothing, to script a later one. */
export const asIs: Step = ({ proceed }) => proceed()

/** Something else happens first (another change, a certificate that expires), then the call. */
export const before =
  (act: (world: World) => void): Step =>
  ({ proceed, world }) => {
    act(world)
    return proceed()
  }

/** The call, then something else happens before the run hears back. */
export const after =
  (act: (world: World) => void): Step =>
  async ({ proceed, world }) => {
    const answer = await proceed()
    act(world)
    return answer
  }

/** The call takes `ms` of virtual time. */
export const slow =
  (ms: number): Step =>
  async ({ proceed, signal, world }) => {
    await world.clock.wait(ms, signal)
    return proceed()
  }

/** A certificate as ACM describes it. */
export function certificate(
  certificateArn: string,
  options: {
    days?: number
    names?: string[]
    status?: string
    key?: string
    serial?: string
    now?: number
  } = {}
): CertificateDetail {
  const now = options.now ?? Date.parse('2026-12-01T12:00:00Z')
  const names = options.names ?? [DOMAIN]
  return {
    CertificateArn: certificateArn,
    DomainName: names[0],
    SubjectAlternativeNames: names,
    Status: (options.status ?? 'ISSUED') as CertificateDetail['Status'],
    Type: 'IMPORTED',
    KeyAlgorithm: (options.key ?? 'RSA_2048') as CertificateDetail['KeyAlgorithm'],
    NotBefore: new Date(now - 30 * DAY),
    NotAfter: new Date(now + (options.days ?? 200) * DAY),
    Serial: options.serial ?? serialOf(certificateArn)
  }
}

/** A serial of its own for each ARN, as ACM writes serials. */
export function serialOf(certificateArn: string): string {
  const hex = Buffer.from(certificateArn.slice(-8)).toString('hex').padStart(16, '0')
  return colonHex(hex)
}

/** Everything the fakes share: the clock, the record of calls, and one attempt's deadline. */
export class World {
  readonly calls: Call[] = []
  readonly clock: FakeClock
  attemptMs = 15_000
  /** Told of every call as it starts (the flow tests cancel the run there). */
  onCall: (call: Call) => void = () => undefined
  /** How many calls had started when the run was cancelled. */
  private callsAtCancel: number | undefined = undefined
  readonly cognito: FakeCognito
  readonly acm: FakeAcm
  readonly edge: FakeEdge

  constructor(clock: FakeClock) {
    this.clock = clock
    this.cognito = new FakeCognito(this)
    this.acm = new FakeAcm(this)
    this.edge = new FakeEdge(this)
  }

  /** The calls of one operation. */
  made(op: Operation): Call[] {
    return this.calls.filter((call) => call.op === op)
  }

  /** From now on, calls are calls made after the run was cancelled. */
  cancelled(): void {
    this.callsAtCancel ??= this.calls.length
  }

  /** Calls started after the run was cancelled: none should be. */
  afterCancel(): Call[] {
    return this.callsAtCancel === undefined ? [] : this.calls.slice(this.callsAtCancel)
  }
}

/** Runs a call: its scripted step if one is queued, else its default behaviour. */
async function perform<T>(
  world: World,
  steps: Step[],
  call: Call,
  signal: AbortSignal,
  proceed: () => Promise<T>
): Promise<T> {
  signal.throwIfAborted()
  world.calls.push(call)
  world.onCall(call)
  const step = steps.shift() as Step<T> | undefined
  const attempt = world.clock.deadline(signal, world.attemptMs, 'attempt-timeout-seconds')
  try {
    const answer = await (step === undefined
      ? proceed()
      : step({ signal: attempt, proceed, world, call }))
    signal.throwIfAborted()
    call.settled = 'answered'
    return answer
  } catch (error) {
    call.settled = 'failed'
    // The adapters throw the stage's reason when it ended (aws/calls.ts), and an attempt that
    // missed its deadline as a timeout whose outcome is uncertain (aws/attempts.ts).
    signal.throwIfAborted()
    if (attempt.aborted)
      throw failed(call.op, new AttemptTimedOut(world.attemptMs, CALLS[call.op]), true)
    throw error
  }
}

export class FakeCognito implements CognitoPort {
  /** The domain as Cognito stores it; undefined: there is none. */
  domain: DomainDescriptionType | undefined = {
    Domain: DOMAIN,
    UserPoolId: POOL,
    Status: 'ACTIVE',
    CloudFrontDistribution: CLOUDFRONT,
    CustomDomainConfig: { CertificateArn: OLD }
  }
  /** How long an accepted change stays UPDATING before it is ACTIVE (virtual ms). */
  rolloutMs = 30_000
  /** The same for the next changes, one each (a forward change, then its rollback). */
  readonly rollouts: number[] = []
  /** The CloudFront domain each next change moves the domain to, one each (as moto does). */
  readonly distributions: string[] = []
  /** Refuse an update while the domain is not ACTIVE (ConcurrentModificationException). */
  refuseWhileUpdating = false
  private activeAt = 0
  private readonly steps: Record<'describe' | 'poll' | 'update', Step[]> = {
    describe: [],
    poll: [],
    update: []
  }
  private readonly world: World

  constructor(world: World) {
    this.world = world
  }

  /** The next calls of `op` follow these steps, one each; later calls behave as Cognito does. */
  script(op: 'describe' | 'poll' | 'update', ...steps: Step[]): this {
    this.steps[op].push(...steps)
    return this
  }

  /** Another change made by someone else: what the domain carries now. */
  change(config: {
    certificateArn?: string
    securityPolicy?: string
    version?: number
    status?: string
  }): void {
    const domain = this.domain
    if (domain === undefined) throw new Error('no domain to change')
    if (config.certificateArn !== undefined || config.securityPolicy !== undefined)
      domain.CustomDomainConfig = {
        CertificateArn: domain.CustomDomainConfig?.CertificateArn ?? '',
        ...domain.CustomDomainConfig,
        ...(config.certificateArn !== undefined && { CertificateArn: config.certificateArn }),
        ...(config.securityPolicy !== undefined && {
          SecurityPolicy: config.securityPolicy as 'TLS_V1'
        })
      }
    if (config.version !== undefined) domain.ManagedLoginVersion = config.version
    if (config.status !== undefined) domain.Status = config.status as 'ACTIVE'
  }

  /** The certificate the domain carries now. */
  get certificateArn(): string | undefined {
    return this.domain?.CustomDomainConfig?.CertificateArn
  }

  describeDomain = (domain: string, signal: AbortSignal): Promise<DomainDescriptionType> =>
    perform(this.world, this.steps.describe, this.record('describe'), signal, () =>
      Promise.resolve(this.describe(domain))
    )

  pollDomain = (domain: string, signal: AbortSignal): Promise<DomainDescriptionType> =>
    perform(this.world, this.steps.poll, this.record('poll'), signal, () =>
      Promise.resolve(this.describe(domain))
    )

  updateDomain = (
    request: UpdateUserPoolDomainRequest,
    signal: AbortSignal
  ): Promise<{ cloudFrontDomain: string | undefined }> => {
    const call = { ...this.record('update'), request }
    return perform(this.world, this.steps.update, call, signal, () => this.update(request))
  }

  private record(op: Operation): Call {
    return { op, at: this.world.clock.now() }
  }

  private describe(domain: string): DomainDescriptionType {
    const stored = this.domain
    if (stored?.Domain !== domain) return {}
    if (
      stored.Status === 'UPDATING' &&
      this.activeAt > 0 &&
      this.world.clock.now() >= this.activeAt
    )
      stored.Status = 'ACTIVE'
    return structuredClone(stored)
  }

  private update(
    request: UpdateUserPoolDomainRequest
  ): Promise<{ cloudFrontDomain: string | undefined }> {
    const stored = this.domain
    if (
      stored === undefined ||
      stored.Domain !== request.Domain ||
      stored.UserPoolId !== request.UserPoolId
    )
      return Promise.reject(failed('update', serviceError('ResourceNotFoundException')))
    this.describe(request.Domain ?? '')
    if (this.refuseWhileUpdating && stored.Status !== 'ACTIVE')
      return Promise.reject(failed('update', serviceError('ConcurrentModificationException')))
    if (request.CustomDomainConfig !== undefined)
      stored.CustomDomainConfig = request.CustomDomainConfig
    if (request.ManagedLoginVersion !== undefined)
      stored.ManagedLoginVersion = request.ManagedLoginVersion
    stored.Status = 'UPDATING'
    stored.CloudFrontDistribution = this.distributions.shift() ?? stored.CloudFrontDistribution
    this.activeAt = this.world.clock.now() + (this.rollouts.shift() ?? this.rolloutMs)
    return Promise.resolve({ cloudFrontDomain: stored.CloudFrontDistribution })
  }
}

export class FakeAcm implements AcmPort {
  readonly certificates = new Map<string, CertificateDetail>()
  readonly tags = new Map<string, Record<string, string>>()
  /** What uses each certificate (DescribeCertificate's InUseBy), answer by answer; the last stays. */
  readonly inUseBy = new Map<string, string[][]>()
  /** The certificates imported, with what was sent. */
  readonly imports: {
    arn: string
    certificate: string
    privateKey: string
    chain: string | undefined
  }[] = []
  private readonly opSteps: Record<'listTags' | 'import' | 'delete', Step[]> = {
    listTags: [],
    import: [],
    delete: []
  }
  /** What ACM makes of a PEM certificate once imported. */
  private readonly importedAs = new Map<string, CertificateDetail>()
  /** Pages of ListCertificates (each a list of ARNs) and their NextTokens; default: one page. */
  private readonly steps = new Map<string, Step[]>()
  private readonly listSteps: Step[] = []
  private readonly world: World

  constructor(world: World) {
    this.world = world
  }

  add(...details: CertificateDetail[]): this {
    for (const detail of details) this.certificates.set(detail.CertificateArn ?? '', detail)
    return this
  }

  /** The next DescribeCertificate calls of this ARN follow these steps. */
  script(certificateArn: string, ...steps: Step[]): this {
    this.steps.set(certificateArn, [...(this.steps.get(certificateArn) ?? []), ...steps])
    return this
  }

  scriptList(...steps: Step[]): this {
    this.listSteps.push(...steps)
    return this
  }

  /** The next ListTagsForCertificate, ImportCertificate or DeleteCertificate calls. */
  scriptOp(op: 'listTags' | 'import' | 'delete', ...steps: Step[]): this {
    this.opSteps[op].push(...steps)
    return this
  }

  /** How ACM describes the certificate in this PEM once it is imported. */
  importable(certificatePem: string, detail: CertificateDetail): this {
    this.importedAs.set(certificatePem, detail)
    return this
  }

  listTags = (certificateArn: string, signal: AbortSignal): Promise<Record<string, string>> => {
    const call: Call = { op: 'listTags', at: this.world.clock.now(), arn: certificateArn }
    return perform(this.world, this.opSteps.listTags, call, signal, () =>
      this.certificates.has(certificateArn)
        ? Promise.resolve({ ...(this.tags.get(certificateArn) ?? {}) })
        : Promise.reject(failed('listTags', serviceError('ResourceNotFoundException')))
    )
  }

  importCertificate = (
    pem: { certificate: string; privateKey: string; chain: string | undefined },
    tags: Record<string, string>,
    signal: AbortSignal
  ): Promise<string> => {
    const call: Call = { op: 'import', at: this.world.clock.now() }
    return perform(this.world, this.opSteps.import, call, signal, () => {
      const imported = arn(`imported-${this.imports.length + 1}`)
      const detail = this.importedAs.get(pem.certificate)
      if (detail === undefined) throw new Error('no detail for this PEM: call acm.importable()')
      this.certificates.set(imported, { ...detail, CertificateArn: imported })
      this.tags.set(imported, { ...tags })
      this.imports.push({ arn: imported, ...pem })
      return Promise.resolve(imported)
    })
  }

  deleteCertificate = (certificateArn: string, signal: AbortSignal): Promise<void> => {
    const call: Call = { op: 'delete', at: this.world.clock.now(), arn: certificateArn }
    return perform(this.world, this.opSteps.delete, call, signal, () =>
      this.certificates.delete(certificateArn)
        ? Promise.resolve()
        : Promise.reject(failed('delete', serviceError('ResourceNotFoundException')))
    )
  }

  describeCertificate = (
    certificateArn: string,
    signal: AbortSignal
  ): Promise<CertificateDetail> => {
    let steps = this.steps.get(certificateArn)
    if (steps === undefined) {
      steps = []
      this.steps.set(certificateArn, steps)
    }
    const call: Call = {
      op: 'describeCertificate',
      at: this.world.clock.now(),
      arn: certificateArn
    }
    return perform(this.world, steps, call, signal, () => {
      const found = this.certificates.get(certificateArn)
      if (found === undefined)
        return Promise.reject(
          failed('describeCertificate', serviceError('ResourceNotFoundException'))
        )
      const users = this.inUseBy.get(certificateArn) ?? []
      const inUse = users.length > 1 ? users.shift() : users[0]
      return Promise.resolve({ ...structuredClone(found), InUseBy: inUse ?? [] })
    })
  }

  listIssued = (signal: AbortSignal): Promise<CertificateSummary[]> => {
    const call: Call = { op: 'listIssued', at: this.world.clock.now() }
    return perform(this.world, this.listSteps, call, signal, () =>
      Promise.resolve(
        [...this.certificates.values()]
          .filter((detail) => detail.Status === 'ISSUED')
          .map((detail) => ({
            CertificateArn: detail.CertificateArn,
            DomainName: detail.DomainName,
            Type: detail.Type,
            NotAfter: detail.NotAfter,
            SubjectAlternativeNameSummaries: detail.SubjectAlternativeNames,
            HasAdditionalSubjectAlternativeNames: false
          }))
      )
    )
  }
}

/**
 * The edge: by default it serves the certificate the domain carries once Cognito has it ACTIVE, and
 * the one before until then.
 */
export class FakeEdge implements EdgePort {
  /** What the edge served before the change reached it. */
  private servedArn: string | undefined = undefined
  private readonly steps: Step[] = []
  private readonly world: World
  readonly hosts: Endpoint[] = []

  constructor(world: World) {
    this.world = world
  }

  script(...steps: Step[]): this {
    this.steps.push(...steps)
    return this
  }

  served = (endpoint: Endpoint, servername: string, signal: AbortSignal): Promise<Served> => {
    this.hosts.push(endpoint)
    const call: Call = { op: 'edge', at: this.world.clock.now() }
    return perform(this.world, this.steps, call, signal, () => {
      const domain = this.world.cognito.domain
      const carried = domain?.CustomDomainConfig?.CertificateArn
      this.servedArn ??= carried
      if (domain?.Status === 'ACTIVE') this.servedArn = carried
      const served = this.servedArn ?? ''
      return Promise.resolve(
        servedOf(served, servername, this.world.acm.certificates.get(served)?.NotAfter)
      )
    })
  }
}

/** What the edge serves for a certificate of the fake ACM (valid to its NotAfter). */
export function servedOf(
  certificateArn: string,
  servername = DOMAIN,
  notAfter = new Date('2027-06-19T12:00:00Z')
): Served {
  return {
    serial: serialOf(certificateArn),
    subject: servername,
    validTo: notAfter.toUTCString(),
    fingerprint256: 'AA:BB'
  }
}

/** The edge can't be reached (no route from the runner). */
export const unreachable = (): Step => () =>
  Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:443'))

/** The edge serves this certificate, whatever the domain carries. */
export const serves =
  (certificateArn: string): Step =>
  ({ world }) =>
    Promise.resolve(
      servedOf(certificateArn, DOMAIN, world.acm.certificates.get(certificateArn)?.NotAfter)
    )

/** A describe or poll answered with the domain as stored, but for what `shown` says. */
export const showing =
  (shown: { status?: string; certificateArn?: string; securityPolicy?: string }): Step =>
  async ({ proceed }) => {
    const described = (await proceed()) as DomainDescriptionType
    return {
      ...described,
      ...(shown.status !== undefined && { Status: shown.status as 'ACTIVE' }),
      ...((shown.certificateArn !== undefined || shown.securityPolicy !== undefined) && {
        CustomDomainConfig: {
          ...described.CustomDomainConfig,
          CertificateArn:
            shown.certificateArn ?? described.CustomDomainConfig?.CertificateArn ?? '',
          ...(shown.securityPolicy !== undefined && {
            SecurityPolicy: shown.securityPolicy as 'TLS_V1'
          })
        }
      })
    }
  }
