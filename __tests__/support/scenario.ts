import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { runAction, type ActionRun } from './action.ts'
import { startEndpoint, type Endpoint, type Json, type Reply } from './endpoint.ts'
import { DOMAIN, NEW_CERT, OLD_CERT } from './fixtures.ts'
import { startMoto, type Moto } from './moto.ts'

/** One moto, and one endpoint in front of it, for a test file; both reset before each test. */
export interface Scenario {
  moto: Moto
  endpoint: Endpoint
  /** A new user pool whose custom domain DOMAIN serves OLD_CERT, unless told otherwise. */
  poolWithDomain(region?: string, customDomainConfig?: object): Promise<string>
  /** The certificate moto stores for DOMAIN now. */
  storedCertificate(): Promise<string | undefined>
  /** The bundled action, run against the endpoint to put NEW_CERT on DOMAIN of the pool. */
  rotate(
    pool: string,
    inputs?: Record<string, string>,
    env?: Record<string, string>
  ): Promise<ActionRun>
}

export function useScenario(): Scenario {
  let moto: Moto | undefined
  let endpoint: Endpoint | undefined
  const scenario: Scenario = {
    get moto() {
      if (moto === undefined) throw new Error('moto is not started')
      return moto
    },
    get endpoint() {
      if (endpoint === undefined) throw new Error('the endpoint is not started')
      return endpoint
    },
    poolWithDomain: async (region = 'eu-west-1', config = { CertificateArn: OLD_CERT }) => {
      const pool = await scenario.moto.createPool(region)
      await scenario.moto.createDomain(pool, DOMAIN, config)
      return pool
    },
    storedCertificate: async () =>
      (await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config.CertificateArn,
    rotate: (pool, inputs = {}, env = {}) =>
      runAction({
        endpoint: scenario.endpoint.url,
        inputs: { domain: DOMAIN, 'user-pool-id': pool, 'certificate-arn': NEW_CERT, ...inputs },
        env
      })
  }
  beforeAll(async () => {
    moto = await startMoto()
    endpoint = await startEndpoint(moto)
  })
  afterAll(async () => {
    await endpoint?.close()
    await moto?.stop()
  })
  beforeEach(async () => {
    await scenario.moto.reset()
    scenario.endpoint.clear()
  })
  return scenario
}

/** A DescribeUserPoolDomain answer from moto with its status replaced. */
export function withStatus(status: string): Reply {
  return {
    edit: (answer: Json) => ({
      DomainDescription: { ...(answer.DomainDescription as Json), Status: status }
    })
  }
}
