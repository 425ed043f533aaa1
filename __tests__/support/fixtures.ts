/**
 * Names shared by the tests. OLD_CERT and NEW_CERT are well-formed ARNs of no real certificate, for
 * tests that never reach AWS; tests against moto import real ones (scenario.oldCert, newCert).
 */
export const DOMAIN = 'auth.example.com'
export const OLD_CERT =
  'arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111'
export const NEW_CERT =
  'arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222'

/** The region the SDK signed a request for, from its Authorization header's credential scope. */
export function signedRegion(
  headers: Record<string, string | string[] | undefined>
): string | undefined {
  const authorization = headers.authorization
  if (typeof authorization !== 'string') return undefined
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization)?.[1]
}
