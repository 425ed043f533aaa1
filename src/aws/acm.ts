import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import { awsCalls, type CallLimits, type RetryListener } from './calls.js'

/** The ACM operations this action makes: it reads certificates, it never changes them. */
export interface Acm {
  region: string
  describeCertificate(arn: string, stage: AbortSignal): Promise<CertificateDetail>
  /**
   * The account's ISSUED certificates with a key CloudFront serves, every page of them (for
   * certificate-arn: newest).
   */
  listIssuedCertificates(stage: AbortSignal): Promise<CertificateSummary[]>
}

/** The key types CloudFront serves: ListCertificates returns only RSA_2048 unless asked for more. */
const SERVABLE_KEY_TYPES = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1'
] as const

/** The region of an ACM certificate, from its ARN. */
export function regionOf(certificateArn: string): string {
  return certificateArn.split(':')[3] ?? ''
}

/**
 * A client for one region, which for the certificates of a custom domain in the aws partition is
 * always us-east-1 whatever the pool's region (the inputs check it). Loaded only when a
 * certificate is read.
 */
export async function connectAcm(
  region: string,
  limits: CallLimits,
  onRetry: RetryListener
): Promise<Acm> {
  const sdk = await import('./sdk/acm-client.js')
  const calls = await awsCalls('ACM', limits, onRetry, sdk.NodeHttpHandler)
  const client = new sdk.ACMClient({ region, ...calls.config })
  return {
    region,
    describeCertificate: async (arn, stage) => {
      const output = await calls.make(
        'DescribeCertificate',
        `certificate ${arn} (ACM, ${region})`,
        (abortSignal) =>
          client.send(new sdk.DescribeCertificateCommand({ CertificateArn: arn }), {
            abortSignal
          }),
        stage
      )
      return output.Certificate ?? {}
    },
    listIssuedCertificates: async (stage) => {
      const all: CertificateSummary[] = []
      let next: string | undefined
      do {
        const token = next
        const output = await calls.make(
          'ListCertificates',
          `the account's ISSUED certificates (ACM, ${region})`,
          (abortSignal) =>
            client.send(
              new sdk.ListCertificatesCommand({
                CertificateStatuses: ['ISSUED'],
                Includes: { keyTypes: [...SERVABLE_KEY_TYPES] },
                MaxItems: 1000,
                ...(token !== undefined && { NextToken: token })
              }),
              { abortSignal }
            ),
          stage
        )
        all.push(...(output.CertificateSummaryList ?? []))
        next = output.NextToken === '' ? undefined : output.NextToken
      } while (next !== undefined)
      return all
    }
  }
}
