/** Looks at the edge: what it serves for the domain (SNI), at the CloudFront domain or tls-endpoint. */
import type { Served } from '../aws/tls.js'
import { isServed } from '../rules/certificate.js'
import type { Clock } from '../common/time.js'
import type { Endpoint } from '../inputs/values.js'
import type { EdgePort } from './ports.js'
import type { EdgeLook } from './progress.js'

/** Where the edge is checked: tls-endpoint, else the CloudFront domain on 443; none when unknown. */
export function edgeEndpoint(
  tlsEndpoint: Endpoint | undefined,
  cloudFrontDomain: string | undefined
): Endpoint | undefined {
  if (tlsEndpoint !== undefined) return tlsEndpoint
  if (cloudFrontDomain === undefined || cloudFrontDomain === '') return undefined
  return { host: cloudFrontDomain, port: 443 }
}

/** One look at what the edge serves, and whether it is the expected certificate. */
export type EdgeProbe = (signal: AbortSignal) => Promise<{ served: Served; matches: boolean }>

/** Where and how to look: the endpoint, the domain as SNI, and the deadline of one look. */
export interface EdgeCheck {
  edge: EdgePort
  clock: Clock
  endpoint: Endpoint
  domain: string
  /** attempt-timeout-seconds: the connection and the TLS handshake. */
  attemptMs: number
}

/** Reads what the edge serves, within one attempt's deadline and while `signal` lasts. */
export async function servedAt(check: EdgeCheck, signal: AbortSignal): Promise<Served> {
  const { edge, clock, endpoint, domain, attemptMs } = check
  const attempt = clock.deadline(signal, attemptMs, 'attempt-timeout-seconds')
  try {
    return await edge.served(endpoint, domain, attempt)
  } catch (error) {
    signal.throwIfAborted()
    if (attempt.aborted)
      throw new Error(`no TLS handshake within ${attemptMs / 1000} s (attempt-timeout-seconds)`)
    throw error
  }
}

/** A probe that compares what the edge serves with the certificate as ACM describes it. */
export function edgeProbe(
  check: EdgeCheck,
  expected: { Serial?: string | undefined; NotAfter?: Date | undefined }
): EdgeProbe {
  return async (signal) => {
    const served = await servedAt(check, signal)
    return { served, matches: isServed(expected, served) }
  }
}

/** One look at the edge, as the wait makes them; a failure is a finding, not an error. */
export async function lookAtEdge(
  check: Omit<EdgeCheck, 'endpoint'> & { endpoint: Endpoint | undefined },
  signal: AbortSignal
): Promise<EdgeLook> {
  const { endpoint } = check
  if (endpoint === undefined)
    return {
      state: 'skipped',
      why: 'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.'
    }
  try {
    return { state: 'served', endpoint, served: await servedAt({ ...check, endpoint }, signal) }
  } catch (error) {
    if (signal.aborted) throw signal.reason
    return {
      state: 'unreachable',
      endpoint,
      why: error instanceof Error ? error.message : String(error)
    }
  }
}
