/**
 * ACM, as the run uses it: DescribeCertificate in each certificate's own region (from its ARN), and
 * for certificate-arn: newest the account's ISSUED certificates, where the domain's certificates
 * live. A client per region, made when first used.
 */
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import type { CallLimits } from '../inputs/settings.js'
import { awsCalls, type Calls, type RetryListener } from './calls.js'
import { CallFailed } from './errors.js'

export interface Acm {
  describeCertificate(arn: string, signal: AbortSignal): Promise<CertificateDetail>
  listIssued(signal: AbortSignal): Promise<CertificateSummary[]>
}

/** The key types CloudFront serves: ListCertificates returns only RSA_2048 unless asked for more. */
const SERVABLE_KEY_TYPES = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1'
] as const

/**
 * The most pages of ListCertificates read (1000 certificates each): far more than ACM's quotas let
 * an account hold. An endpoint that pages on past it, or hands back a page token it gave before,
 * is not answering as ACM does: the listing stops there with an error.
 */
export const MAX_LIST_PAGES = 50

/** An answer of ListCertificates that would make the listing go on for ever. */
export class EndlessListing extends Error {
  constructor(why: string) {
    super(why)
    this.name = 'EndlessListing'
  }
}

/** The region of an ACM certificate, from its ARN. */
export function regionOf(certificateArn: string): string {
  return certificateArn.split(':')[3] ?? ''
}

type Sdk = typeof import('./sdk/acm-client.js')
interface Client {
  sdk: Sdk
  calls: Calls
  client: InstanceType<Sdk['ACMClient']>
}

/** ACM for the run; `listRegion` is where the domain's certificates live. */
export function acmFor(listRegion: string, limits: CallLimits, onRetry: RetryListener): Acm {
  const clients = new Map<string, Promise<Client>>()
  const clientFor = (region: string): Promise<Client> => {
    let client = clients.get(region)
    if (client === undefined) {
      client = (async () => {
        const sdk = await import('./sdk/acm-client.js')
        const calls = await awsCalls('ACM', limits, onRetry, sdk.NodeHttpHandler)
        return { sdk, calls, client: new sdk.ACMClient({ region, ...calls.config }) }
      })()
      clients.set(region, client)
    }
    return client
  }
  return {
    describeCertificate: async (arn, signal) => {
      const region = regionOf(arn)
      const { sdk, calls, client } = await clientFor(region)
      const output = await calls.make(
        'DescribeCertificate',
        `certificate ${arn} (ACM, ${region})`,
        (abortSignal) =>
          client.send(new sdk.DescribeCertificateCommand({ CertificateArn: arn }), {
            abortSignal
          }),
        signal
      )
      return output.Certificate ?? {}
    },
    listIssued: async (signal) => {
      const { sdk, calls, client } = await clientFor(listRegion)
      const all: CertificateSummary[] = []
      const about = `the account's ISSUED certificates (ACM, ${listRegion})`
      const endless = (why: string) =>
        new CallFailed('ListCertificates', about, new EndlessListing(why))
      const tokens = new Set<string>()
      let next: string | undefined
      for (let page = 1; ; page++) {
        const token = next
        const output = await calls.make(
          'ListCertificates',
          about,
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
          signal
        )
        all.push(...(output.CertificateSummaryList ?? []))
        next = output.NextToken === '' ? undefined : output.NextToken
        if (next === undefined) return all
        if (tokens.has(next))
          throw endless(
            `page ${page} came with the page token of an earlier page, so the listing would never end`
          )
        if (page >= MAX_LIST_PAGES)
          throw endless(
            `there were still more after ${MAX_LIST_PAGES} pages of up to 1000 certificates, more than ACM lets an account hold`
          )
        tokens.add(next)
      }
    }
  }
}
