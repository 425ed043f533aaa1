import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:tls'
import { certificateFor } from '../support/certificates.ts'
import { startHttpProxy, type HttpProxy } from '../support/http-proxy.ts'
import { listenLocally } from '../support/listen.ts'
import { useScenario } from '../support/scenario.ts'

const scenario = useScenario()
let proxy: HttpProxy
beforeAll(async () => {
  proxy = await startHttpProxy()
})
afterAll(async () => {
  await proxy.close()
})
beforeEach(() => {
  proxy.carried.length = 0
})

describe('a runner that reaches AWS through a proxy', () => {
  test('with HTTP_PROXY set, every AWS call goes through the proxy', async () => {
    const pool = await scenario.poolWithDomain()
    const endpoint = new URL(scenario.endpoint.url).host

    const run = await scenario.rotate(pool, {}, { HTTP_PROXY: proxy.url })

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect([...proxy.carried].sort()).toEqual(
      [
        `POST ${endpoint} DescribeCertificate`,
        `POST ${endpoint} DescribeCertificate`,
        `POST ${endpoint} DescribeUserPoolDomain`,
        `POST ${endpoint} UpdateUserPoolDomain`
      ].sort()
    )
  })

  test('with HTTPS_PROXY set, an https endpoint is reached through a CONNECT tunnel', async () => {
    const pool = await scenario.poolWithDomain()
    // The endpoint behind TLS, as AWS is: a certificate for localhost that the run is told to trust.
    const pems = await certificateFor({ names: ['localhost'] })
    const trusted = join(mkdtempSync(join(tmpdir(), 'proxy-test-')), 'ca.pem')
    writeFileSync(trusted, pems.certificate)
    const plain = new URL(scenario.endpoint.url)
    const tls = await listenLocally(
      createServer({ cert: pems.certificate, key: pems.privateKey }, (socket) => {
        const upstream = connect(Number(plain.port), plain.hostname)
        socket.pipe(upstream).pipe(socket)
        socket.on('close', () => upstream.destroy())
      })
    )
    const { port } = tls

    try {
      const run = await scenario.rotate(
        pool,
        {},
        {
          AWS_ENDPOINT_URL: `https://localhost:${port}`,
          NODE_EXTRA_CA_CERTS: trusted,
          HTTPS_PROXY: proxy.url
        }
      )

      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(await scenario.storedCertificate()).toBe(scenario.newCert)
      expect(proxy.carried.length).toBeGreaterThan(0)
      expect(new Set(proxy.carried)).toEqual(new Set([`CONNECT localhost:${port}`]))
    } finally {
      await tls.close()
    }
  })

  test('NO_PROXY exempts a host, as it does for the AWS CLI', async () => {
    const pool = await scenario.poolWithDomain()

    const run = await scenario.rotate(
      pool,
      {},
      { http_proxy: proxy.url, NO_PROXY: new URL(scenario.endpoint.url).hostname }
    )

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(proxy.carried).toEqual([])
  })
})
