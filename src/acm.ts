import type { CertificateDetail } from '@aws-sdk/client-acm'
import { awsCalls, type RetryListener } from './aws-calls.js'

/** The ACM operations this action makes: it reads certificates, it never changes them. */
export interface Acm {
  describeCertificate(arn: string): Promise<CertificateDetail>
}

/**
 * A client for the region the certificates live in (us-east-1 in the aws partition, whatever the
 * pool's region). Loaded only when a certificate is checked.
 */
export async function connectAcm(
  region: string,
  maxAttempts: number,
  onRetry: RetryListener
): Promise<Acm> {
  const [sdk, calls] = await Promise.all([
    import('@aws-sdk/client-acm'),
    awsCalls('ACM', maxAttempts, onRetry)
  ])
  const client = new sdk.ACMClient({ region, ...calls.config })
  return {
    describeCertificate: async (arn) => {
      const output = await calls.make(
        'DescribeCertificate',
        `certificate ${arn} (ACM, ${region})`,
        () => client.send(new sdk.DescribeCertificateCommand({ CertificateArn: arn }))
      )
      return output.Certificate ?? {}
    }
  }
}
