import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { runAction, type ActionRun, type RunOptions } from './action.ts'
import { startEndpoint, type Endpoint, type Json, type Reply } from './endpoint.ts'
import { certificateFor, type CertificateRequest, type TestCertificate } from './certificates.ts'
import { DOMAIN } from './fixtures.ts'
import { startMoto, type Moto } from './moto.ts'

/**
 * One moto, and one endpoint in front of it, for a test file; both reset before each test, and
 * then two real certificates for DOMAIN imported into moto's ACM: the domain's current one
 * (oldCert, 200 days left) and the one to rotate to (newCert, 400 days left).
 */
export interface Scenario {
  moto: Moto
  endpoint: Endpoint
  oldCert: string
  newCert: string
  /** Imports a certificate made to the request (made once per test file); its ARN. */
  importCertificate(request: CertificateRequest): Promise<string>
  /** The PEMs behind an imported certificate. */
  pemsOf(arn: string): TestCertificate
  /** A new user pool whose custom domain DOMAIN serves oldCert, unless told otherwise. */
  poolWithDomain(region?: string, customDomainConfig?: object): Promise<string>
  /** The certificate moto stores for DOMAIN now. */
  storedCertificate(): Promise<string | undefined>
  /**
   * The bundled action, run against the endpoint to put newCert on DOMAIN of the pool; with
   * signalWhen, cancelled as the runner cancels a job.
   */
  rotate(
    pool: string,
    inputs?: Record<string, string>,
    env?: Record<string, string>,
    signalWhen?: RunOptions['signalWhen']
  ): Promise<ActionRun>
}

export function useScenario(): Scenario {
  let moto: Moto | undefined
  let endpoint: Endpoint | undefined
  let certificates: { oldCert: string; newCert: string } | undefined
  const imported = new Map<string, TestCertificate>()
  const scenario: Scenario = {
    get moto() {
      if (moto === undefined) throw new Error('moto is not started')
      return moto
    },
    get endpoint() {
      if (endpoint === undefined) throw new Error('the endpoint is not started')
      return endpoint
    },
    get oldCert() {
      if (certificates === undefined) throw new Error('no certificates imported')
      return certificates.oldCert
    },
    get newCert() {
      if (certificates === undefined) throw new Error('no certificates imported')
      return certificates.newCert
    },
    importCertificate: async (request) => {
      const pems = await certificateFor(request)
      const arn = await scenario.moto.importCertificate(pems.certificate, pems.privateKey)
      imported.set(arn, pems)
      return arn
    },
    pemsOf: (arn) => {
      const pems = imported.get(arn)
      if (pems === undefined) throw new Error(`no certificate imported as ${arn}`)
      return pems
    },
    poolWithDomain: async (region = 'eu-west-1', config?: object) => {
      const pool = await scenario.moto.createPool(region)
      await scenario.moto.createDomain(pool, DOMAIN, config ?? { CertificateArn: scenario.oldCert })
      return pool
    },
    storedCertificate: async () =>
      (await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config?.CertificateArn,
    rotate: (pool, inputs = {}, env = {}, signalWhen) =>
      runAction({
        endpoint: scenario.endpoint.url,
        inputs: {
          domain: DOMAIN,
          'user-pool-id': pool,
          'certificate-arn': scenario.newCert,
          ...inputs
        },
        env,
        ...(signalWhen !== undefined && { signalWhen })
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
    imported.clear()
    certificates = {
      oldCert: await scenario.importCertificate({ names: [DOMAIN], days: 200 }),
      newCert: await scenario.importCertificate({ names: [DOMAIN], days: 400 })
    }
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

/**
 * moto's DescribeCertificate answers, changed for the certificates named (status, dates, type):
 * what moto can't be made to hold, such as an expired or revoked certificate.
 */
export function editCertificates(changes: Record<string, Json>): Reply {
  return {
    edit: (answer: Json) => {
      const certificate = answer.Certificate as Json
      const change = changes[String(certificate.CertificateArn)]
      return change === undefined ? answer : { Certificate: { ...certificate, ...change } }
    }
  }
}

/** The same for one certificate. */
export function editCertificate(arn: string, changes: Json): Reply {
  return editCertificates({ [arn]: changes })
}
