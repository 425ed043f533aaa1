import type { Endpoint } from '../inputs/values.js'
import type { Settings } from '../inputs/settings.js'
import { sameSerial, servedCertificate, type Served } from '../aws/tls.js'

/** One look at what the edge serves for the domain, and whether it is the expected certificate. */
export type EdgeProbe = (signal: AbortSignal) => Promise<{ served: Served; matches: boolean }>

/** Where the edge is checked: tls-endpoint, else the CloudFront domain on 443; none when unknown. */
export function edgeEndpoint(
  settings: Settings,
  cloudFrontDomain: string | undefined
): Endpoint | undefined {
  if (settings.rollout.tlsEndpoint !== undefined) return settings.rollout.tlsEndpoint
  if (cloudFrontDomain === undefined || cloudFrontDomain === '') return undefined
  return { host: cloudFrontDomain, port: 443 }
}

/**
 * A probe of `endpoint` with SNI = the domain, compared with `serial` (as ACM gives it). Each probe
 * has the deadline of one attempt (attempt-timeout-seconds) and ends with the signal it is given.
 */
export function edgeProbe(settings: Settings, endpoint: Endpoint, serial: string): EdgeProbe {
  return async (signal) => {
    const served = await servedCertificate(endpoint, settings.domain, {
      timeoutMs: settings.limits.attemptMs,
      signal
    })
    return { served, matches: sameSerial(serial, served.serial) }
  }
}

/** What one look at the edge found, in a dry run. */
export type EdgeLook =
  /** Not looked at: verify-tls is off, or nowhere to look. */
  | { state: 'skipped'; why?: string }
  /** The probe failed: the runner may have no route to the edge. */
  | { state: 'unreachable'; endpoint: Endpoint; why: string }
  | { state: 'served'; endpoint: Endpoint; served: Served }

/**
 * One probe of the edge, as the wait makes them (SNI = the domain, at the CloudFront domain or
 * tls-endpoint, within attempt-timeout-seconds).
 */
export async function lookAtEdge(
  settings: Settings,
  cloudFrontDomain: string | undefined,
  signal: AbortSignal
): Promise<EdgeLook> {
  if (!settings.rollout.verifyTls || settings.domainKind !== 'custom') return { state: 'skipped' }
  const endpoint = edgeEndpoint(settings, cloudFrontDomain)
  if (endpoint === undefined)
    return {
      state: 'skipped',
      why: 'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.'
    }
  try {
    const served = await servedCertificate(endpoint, settings.domain, {
      timeoutMs: settings.limits.attemptMs,
      signal
    })
    return { state: 'served', endpoint, served }
  } catch (error) {
    if (signal.aborted) throw signal.reason
    return {
      state: 'unreachable',
      endpoint,
      why: error instanceof Error ? error.message : String(error)
    }
  }
}
