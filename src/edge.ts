import type { Endpoint } from './input-values.js'
import type { Settings } from './inputs.js'
import { sameSerial, servedCertificate, type Served } from './tls-probe.js'

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
