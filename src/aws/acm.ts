/**
 * ACM, as the run uses it: DescribeCertificate in each certificate's own region (from its ARN);
 * the account's ISSUED certificates where the domain's certificates live (certificate-arn: newest,
 * and certificate-pem's earlier imports); and for certificate-pem, importing a certificate with
 * its tags, reading a certificate's tags, and deleting one (retire-replaced). An import is one
 * attempt: the run looks for it before it tries again. A client per region, made when first used.
 */
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm'
import type { CallLimits } from '../inputs/settings.js'
import { awsCalls, type Calls, type RetryListener } from './calls.js'
import { CallFailed } from './errors.js'

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
/** The calls, in the shape of flow/ports.ts's AcmPort. */
export function acmFor(listRegion: string, limits: CallLimits, onRetry: RetryListener) {
  const clients = new Map<string, Promise<Client>>()
  const clientFor = (region: string, maxAttempts = limits.maxAttempts): Promise<Client> => {
    const key = `${region} ${maxAttempts}`
    let client = clients.get(key)
    if (client === undefined) {
      client = (async () => {
        const sdk = await import('./sdk/acm-client.js')
        const calls = await awsCalls(
          'ACM',
          { ...limits, maxAttempts },
          onRetry,
          sdk.NodeHttpHandler
        )
        return { sdk, calls, client: new sdk.ACMClient({ region, ...calls.config }) }
      })()
      clients.set(key, client)
    }
    return client
  }
  return {
    describeCertificate: async (arn: string, signal: AbortSignal): Promise<CertificateDetail> => {
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
    listIssued: async (signal: AbortSignal): Promise<CertificateSummary[]> => {
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
    },
    listTags: async (arn: string, signal: AbortSignal): Promise<Record<string, string>> => {
      const region = regionOf(arn)
      const { sdk, calls, client } = await clientFor(region)
      const output = await calls.make(
        'ListTagsForCertificate',
        `the tags of certificate ${arn} (ACM, ${region})`,
        (abortSignal) =>
          client.send(new sdk.ListTagsForCertificateCommand({ CertificateArn: arn }), {
            abortSignal
          }),
        signal
      )
      return Object.fromEntries((output.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']))
    },
    importCertificate: async (
      pem: { certificate: string; privateKey: string; chain: string | undefined },
      tags: Record<string, string>,
      signal: AbortSignal
    ): Promise<string> => {
      const { sdk, calls, client } = await clientFor(listRegion, 1)
      const text = (value: string) => new TextEncoder().encode(value)
      const output = await calls.make(
        'ImportCertificate',
        `the certificate of certificate-pem (ACM, ${listRegion})`,
        (abortSignal) =>
          client.send(
            new sdk.ImportCertificateCommand({
              Certificate: text(pem.certificate),
              PrivateKey: text(pem.privateKey),
              ...(pem.chain !== undefined && { CertificateChain: text(pem.chain) }),
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
            }),
            { abortSignal }
          ),
        signal
      )
      if (output.CertificateArn === undefined || output.CertificateArn === '')
        throw new CallFailed(
          'ImportCertificate',
          `the certificate of certificate-pem (ACM, ${listRegion})`,
          new Error("ACM answered without the new certificate's ARN"),
          true
        )
      return output.CertificateArn
    },
    deleteCertificate: async (arn: string, signal: AbortSignal): Promise<void> => {
      const region = regionOf(arn)
      const { sdk, calls, client } = await clientFor(region)
      await calls.make(
        'DeleteCertificate',
        `certificate ${arn} (ACM, ${region})`,
        (abortSignal) =>
          client.send(new sdk.DeleteCertificateCommand({ CertificateArn: arn }), { abortSignal }),
        signal
      )
    }
  }
}
