/**
 * What a run needs from the world, as small interfaces: Cognito, ACM, the edge and the clock. The
 * action gives it the real ones (aws/); the flow tests give it fakes that script every answer and
 * can race the run at any step. Every method takes the signal of the stage it belongs to and ends
 * when it ends; a call that fails for good rejects with a CallFailed (aws/calls.ts).
 */
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import type { Served } from '../aws/tls.js'
import type { Clock } from '../common/time.js'
import type { Endpoint } from '../inputs/values.js'

export interface CognitoPort {
  /** DescribeUserPoolDomain, with the SDK's retries (max-attempts). */
  describeDomain(domain: string, signal: AbortSignal): Promise<DomainDescriptionType>
  /** DescribeUserPoolDomain once, without retries: one poll of a wait. */
  pollDomain(domain: string, signal: AbortSignal): Promise<DomainDescriptionType>
  /**
   * One attempt of UpdateUserPoolDomain. The flow decides whether to try again, after a look at the
   * domain: a write is never resent on what was seen before a pause.
   */
  updateDomain(
    request: UpdateUserPoolDomainRequest,
    signal: AbortSignal
  ): Promise<{ cloudFrontDomain: string | undefined }>
}

export interface AcmPort {
  /** DescribeCertificate in the certificate's own region (from its ARN). */
  describeCertificate(arn: string, signal: AbortSignal): Promise<CertificateDetail>
  /**
   * The account's ISSUED certificates with a key CloudFront serves, every page of them, in the
   * region where the domain's certificates live.
   */
  listIssued(signal: AbortSignal): Promise<CertificateSummary[]>
  /** ListTagsForCertificate: the certificate's tags, by key. */
  listTags(arn: string, signal: AbortSignal): Promise<Record<string, string>>
  /**
   * One attempt of ImportCertificate, as a new certificate with `tags`, where the domain's
   * certificates live; its ARN. The flow looks for it before it tries again.
   */
  importCertificate(
    pem: { certificate: string; privateKey: string; chain: string | undefined },
    tags: Record<string, string>,
    signal: AbortSignal
  ): Promise<string>
  /** DeleteCertificate. */
  deleteCertificate(arn: string, signal: AbortSignal): Promise<void>
}

export interface EdgePort {
  /** The leaf certificate `endpoint` serves for `servername` (SNI). */
  served(endpoint: Endpoint, servername: string, signal: AbortSignal): Promise<Served>
}

export interface Ports {
  cognito: CognitoPort
  acm: AcmPort
  edge: EdgePort
  clock: Clock
  /** A plain line of the run's log. */
  log: (line: string) => void
}
