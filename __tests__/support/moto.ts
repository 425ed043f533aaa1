import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from './free-port.ts'

/**
 * moto_server on a loopback port of its own, with the few Cognito calls the tests need to set up
 * a user pool and its domain, and a view of what moto has stored.
 */
export interface Moto {
  url: string
  /** A Cognito call. */
  call(region: string, operation: string, body: object): Promise<Record<string, unknown>>
  /** An ACM call in us-east-1. */
  acm(operation: string, body: object): Promise<Record<string, unknown>>
  /** Requests a certificate from moto's ACM in us-east-1; its ARN. It stays PENDING_VALIDATION. */
  requestCertificate(domain: string): Promise<string>
  /** Imports a certificate into moto's ACM in us-east-1; its ARN. */
  importCertificate(certificate: string, privateKey: string): Promise<string>
  createPool(region: string, name?: string): Promise<string>
  createDomain(poolId: string, domain: string, customDomainConfig?: object): Promise<void>
  setCertificate(poolId: string, domain: string, certificateArn: string): Promise<void>
  /**
   * The domain as moto stores it, including the CustomDomainConfig its describe leaves out. moto's
   * data.json also lists instances it has since replaced: the newest one is the stored one.
   */
  storedDomain(domain: string): Promise<StoredDomain | undefined>
  reset(): Promise<void>
  stop(): Promise<void>
}

export interface StoredDomain {
  domain: string
  user_pool_id: string
  custom_domain_config: { CertificateArn?: string; SecurityPolicy?: string } | null
}

interface Service {
  target: string
  signingName: string
}
const COGNITO: Service = { target: 'AWSCognitoIdentityProviderService', signingName: 'cognito-idp' }
const ACM: Service = { target: 'CertificateManager', signingName: 'acm' }

/** What startMoto() throws when moto_server is not installed: one line saying how to install it. */
export class MotoServerMissing extends Error {
  constructor() {
    super(
      'moto_server is not on PATH: install it with pipx install "moto[server]==5.2.1" ' +
        '(or pip install "moto[server]==5.2.1")'
    )
    this.name = 'MotoServerMissing'
  }
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new MotoServerMissing() : error)
    })
  })
  let log = ''
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000)
  })
  await waitUntilUp(url, child, () => log)

  const send = async (service: Service, region: string, operation: string, body: object) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${service.target}.${operation}`,
        // moto reads service and region from the credential scope and does not check the signature.
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/${region}/${service.signingName}/aws4_request, SignedHeaders=host, Signature=0`
      },
      body: JSON.stringify(body)
    })
    const json = (await response.json()) as Record<string, unknown>
    if (!response.ok)
      throw new Error(`moto ${operation}: ${response.status} ${JSON.stringify(json)}`)
    return json
  }
  const call: Moto['call'] = (region, operation, body) => send(COGNITO, region, operation, body)

  return {
    url,
    call,
    acm: (operation, body) => send(ACM, 'us-east-1', operation, body),
    requestCertificate: async (domain) => {
      const answer = (await send(ACM, 'us-east-1', 'RequestCertificate', {
        DomainName: domain,
        ValidationMethod: 'DNS'
      })) as { CertificateArn: string }
      return answer.CertificateArn
    },
    importCertificate: async (certificate, privateKey) => {
      const answer = (await send(ACM, 'us-east-1', 'ImportCertificate', {
        Certificate: Buffer.from(certificate).toString('base64'),
        PrivateKey: Buffer.from(privateKey).toString('base64')
      })) as { CertificateArn: string }
      return answer.CertificateArn
    },
    createPool: async (region, name = 'pool') => {
      const answer = (await call(region, 'CreateUserPool', { PoolName: name })) as {
        UserPool: { Id: string }
      }
      return answer.UserPool.Id
    },
    createDomain: async (poolId, domain, customDomainConfig) => {
      await call(regionOf(poolId), 'CreateUserPoolDomain', {
        UserPoolId: poolId,
        Domain: domain,
        ...(customDomainConfig && { CustomDomainConfig: customDomainConfig })
      })
    },
    setCertificate: async (poolId, domain, certificateArn) => {
      await call(regionOf(poolId), 'UpdateUserPoolDomain', {
        UserPoolId: poolId,
        Domain: domain,
        CustomDomainConfig: { CertificateArn: certificateArn }
      })
    },
    storedDomain: async (domain) => {
      const data = (await (await fetch(`${url}/moto-api/data.json`)).json()) as {
        cognitoidp?: { CognitoIdpUserPoolDomain?: StoredDomain[] }
      }
      return data.cognitoidp?.CognitoIdpUserPoolDomain?.findLast((entry) => entry.domain === domain)
    },
    reset: async () => {
      await fetch(`${url}/moto-api/reset`, { method: 'POST' })
    },
    stop: () => stopChild(child)
  }
}

function regionOf(poolId: string): string {
  return poolId.split('_')[0] ?? 'us-east-1'
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early: ${log()}`)
    try {
      if ((await fetch(`${url}/moto-api/data.json`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill()
  throw new Error(`moto_server did not start within 30 s: ${log()}`)
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve()
    })
    child.kill('SIGTERM')
  })
}
