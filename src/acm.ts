import type { CertificateDetail } from '@aws-sdk/client-acm'
import { awsCalls, type CallLimits, type RetryListener } from './aws-calls.js'

/** The ACM operations this action makes: it reads certificates, it never changes them. */
export interface Acm {
  describeCertificate(arn: string, stage: AbortSignal): Promise<CertificateDetail>
}

/**
 * A client for the region of the requested certificate, which in the aws partition is always
 * us-east-1 whatever the pool's region (the inputs check it). Loaded only when a certificate is read.
 */
export async function connectAcm(
  certificateArn: string,
  limits: CallLimits,
  onRetry: RetryListener
): Promise<Acm> {
  const region = certificateArn.split(':')[3] ?? ''
  const sdk = await import('./sdk/acm-client.js')
  const calls = await awsCalls('ACM', limits, onRetry, sdk.NodeHttpHandler)
  const client = new sdk.ACMClient({ region, ...calls.config })
  return {
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
    }
  }
}
