/**
 * Try the bundled action end to end on a local emulator, with nothing of yours touched:
 * starts moto_server on a free loopback port, imports three certificates made by openssl into its
 * ACM, creates a user pool in eu-west-1 whose custom domain auth.example.com serves one of them,
 * then runs dist/index.js under node 24 as the GitHub runner would: a dry run, a rotation, the same
 * rotation again (a no-op), a certificate for another name (refused), a bad input, and a rotation
 * followed to a local TLS server standing in for the CloudFront edge, then one that fails and is
 * rolled back; a managed login and security policy change, and the same again (a no-op). Last, the
 * two unattended runs: a scheduled drift check (a dry run that reports the certificate in use, its
 * days left and what the local edge serves for the domain), and certificate-arn: newest choosing,
 * of the certificates in moto's ACM, the one that covers the domain and expires last. And a
 * certificate of your own: PEM files, as an ACME client writes them, imported once into moto's ACM
 * and followed to the local edge; then its renewal, which retires the certificate it replaced.
 *
 *   npm run try
 *   npm run try -- --serve   # no story: the emulator stays up for npm run action, until Ctrl-C
 *
 * Runs under node 24 with type stripping (scripts/with-node24.js chooses which node 24); shares its
 * helpers with the end-to-end tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../__tests__/support/action.ts'
import { startEndpoint } from '../__tests__/support/endpoint.ts'
import { makeCertificate, type TestCertificate } from '../__tests__/support/certificates.ts'
import { DOMAIN } from '../__tests__/support/fixtures.ts'
import { MotoServerMissing, startMoto, type Moto } from '../__tests__/support/moto.ts'
import { startTlsServer } from '../__tests__/support/tls-server.ts'

const moto = await startMoto().catch((error: unknown) => {
  if (!(error instanceof MotoServerMissing)) throw error
  console.error(error.message)
  process.exit(1)
})
// moto's DescribeUserPoolDomain leaves out the CustomDomainConfig it stores; this local endpoint
// passes every call through to moto and fills that in, as the real service would answer.
const endpoint = await startEndpoint(moto)

try {
  const [oldPems, oldCert] = await importNew(moto, [DOMAIN], 200)
  const [newPems, newCert] = await importNew(moto, ['*.example.com'], 400)
  const [, otherCert] = await importNew(moto, ['login.example.com'], 400)
  const pool = await moto.createPool('eu-west-1', 'try-it')
  await moto.createDomain(pool, DOMAIN, {
    CertificateArn: oldCert,
    SecurityPolicy: 'TLS_V1_2_2021'
  })
  console.log(`moto_server at ${moto.url}: user pool ${pool}, domain ${DOMAIN} on ${oldCert}\n`)
  if (process.argv.includes('--serve')) {
    await serve(endpoint.url, pool, newCert)
    process.exit(0)
  }

  const inputs = { domain: DOMAIN, 'user-pool-id': pool, 'certificate-arn': newCert }
  // moto's CloudFront domains don't exist: the edge is left out here, and checked in step 10.
  show(
    '1. A dry run: check and plan, change nothing',
    await runAction({
      endpoint: endpoint.url,
      inputs: { ...inputs, 'dry-run': 'true', 'verify-tls': 'false' }
    })
  )

  show('2. Rotate the certificate', await runAction({ endpoint: endpoint.url, inputs }))
  console.log(
    `   moto now stores: ${JSON.stringify((await moto.storedDomain(DOMAIN))?.custom_domain_config)}`
  )
  console.log(
    '   (moto makes up a new CloudFront domain at every change, so cloudfront-domain differs from run to run here; Cognito keeps the one your DNS points at.)\n'
  )

  show(
    '3. Run again with the same certificate',
    await runAction({ endpoint: endpoint.url, inputs })
  )

  show(
    '4. A certificate for another name',
    await runAction({ endpoint: endpoint.url, inputs: { ...inputs, 'certificate-arn': otherCert } })
  )

  const before = endpoint.received.length
  show(
    '5. A bad input',
    await runAction({
      endpoint: endpoint.url,
      inputs: { ...inputs, domain: 'https://Auth.Example.com/' }
    })
  )
  console.log(`   requests the bad run sent to AWS: ${endpoint.received.length - before}\n`)

  // Back to the old certificate (and the security policy it had), as if a person had rolled back.
  const backToOld = () =>
    moto.call('eu-west-1', 'UpdateUserPoolDomain', {
      UserPoolId: pool,
      Domain: DOMAIN,
      CustomDomainConfig: { CertificateArn: oldCert, SecurityPolicy: 'TLS_V1_2_2021' }
    })
  // Then a rotation that waits: Cognito says UPDATING twice, and the local "edge" serves the old
  // certificate twice before the new one.
  await backToOld()
  const passThrough = { delayMs: 0 }
  const updating = {
    edit: (answer: Record<string, unknown>) => ({
      DomainDescription: { ...(answer.DomainDescription as object), Status: 'UPDATING' }
    })
  }
  endpoint.queue('DescribeUserPoolDomain', passThrough, updating, updating)
  const edge = await startTlsServer([oldPems, oldPems, newPems])
  const waiting = {
    ...inputs,
    'wait-for-rollout': 'true',
    'poll-interval-seconds': '1',
    'wait-timeout-minutes': '1',
    'tls-endpoint': edge.endpoint
  }
  show(
    `6. Rotate and wait for the rollout, checking the certificate served at ${edge.endpoint}`,
    await runAction({ endpoint: endpoint.url, inputs: waiting })
  )
  await edge.close()

  await backToOld()
  const failed = {
    edit: (answer: Record<string, unknown>) => ({
      DomainDescription: { ...(answer.DomainDescription as object), Status: 'FAILED' }
    })
  }
  endpoint.queue('DescribeUserPoolDomain', passThrough, updating, failed)
  show(
    '7. A rollout that turns FAILED, with rollback-on-failure',
    await runAction({
      endpoint: endpoint.url,
      inputs: { ...waiting, 'verify-tls': 'false', 'rollback-on-failure': 'true' }
    })
  )
  console.log(
    `   moto now stores: ${JSON.stringify((await moto.storedDomain(DOMAIN))?.custom_domain_config)}\n`
  )

  // moto keeps no managed login version: the endpoint remembers what was last sent.
  endpoint.loginVersions.set(DOMAIN, 1)
  const managedLogin = {
    domain: DOMAIN,
    'user-pool-id': pool,
    'managed-login-version': '2',
    'security-policy': 'TLS_V1_3_2025'
  }
  show(
    '8. Managed login and a stricter TLS policy, keeping the certificate',
    await runAction({ endpoint: endpoint.url, inputs: managedLogin })
  )
  show(
    '9. The same again: nothing to change',
    await runAction({ endpoint: endpoint.url, inputs: managedLogin })
  )

  // The drift check of examples/drift-check.yml, with a min-days-remaining the certificate in use
  // (200 days) falls short of, and a local edge that serves it.
  const servingOld = await startTlsServer([oldPems])
  show(
    `10. A drift check: a dry run with min-days-remaining 250, and the edge at ${servingOld.endpoint}`,
    await runAction({
      endpoint: endpoint.url,
      inputs: {
        domain: DOMAIN,
        'user-pool-id': pool,
        'certificate-arn': oldCert,
        'dry-run': 'true',
        'min-days-remaining': '250',
        'tls-endpoint': servingOld.endpoint
      }
    })
  )
  await servingOld.close()

  show(
    '11. certificate-arn: newest: the certificate in ACM that covers the domain and expires last',
    await runAction({
      endpoint: endpoint.url,
      inputs: { domain: DOMAIN, 'user-pool-id': pool, 'certificate-arn': 'newest' }
    })
  )

  // Bring your own certificate: PEM files in a workspace, as certbot leaves them.
  const workspace = mkdtempSync(join(tmpdir(), 'try-workspace-'))
  try {
    for (const [step, days] of [
      [12, 90],
      [13, 120]
    ] as const) {
      const pems = await makeCertificate({ names: [DOMAIN], days })
      writeFileSync(join(workspace, 'fullchain.pem'), pems.certificate)
      writeFileSync(join(workspace, 'privkey.pem'), pems.privateKey)
      const ownEdge = await startTlsServer([pems])
      show(
        step === 12
          ? '12. Your own certificate from PEM files: checked, imported once into ACM, followed to the edge'
          : '13. Its renewal: imported, followed to the edge, and the certificate it replaced retired',
        await runAction({
          endpoint: endpoint.url,
          inputs: {
            domain: DOMAIN,
            'user-pool-id': pool,
            'certificate-pem': 'fullchain.pem',
            'private-key-pem': 'privkey.pem',
            'wait-for-rollout': 'true',
            'poll-interval-seconds': '1',
            'tls-endpoint': ownEdge.endpoint,
            'retire-replaced': 'true'
          },
          env: { GITHUB_WORKSPACE: workspace }
        })
      )
      await ownEdge.close()
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
} finally {
  await endpoint.close()
  await moto.stop()
}

/**
 * Keeps the emulator up, with the pool, its domain and the certificates, until SIGINT or SIGTERM,
 * and prints how to run the action by hand against it with npm run action.
 */
async function serve(endpointUrl: string, pool: string, certificateArn: string): Promise<void> {
  const action = `npm run action -- --domain ${DOMAIN} --user-pool-id ${pool} --certificate-arn ${certificateArn} --verify-tls false`
  console.log(
    [
      'The emulator stays up until you press Ctrl-C. In another terminal, in this folder:',
      '',
      `  export AWS_ENDPOINT_URL=${endpointUrl} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
      '  unset AWS_PROFILE AWS_SESSION_TOKEN',
      `  ${action}`,
      `  ${action} --dry-run false`,
      '',
      'The first is a dry run; the second makes the change, in the emulator. moto has no CloudFront',
      "edge to check, hence --verify-tls false. Each --name value is the action's input of that name.",
      ''
    ].join('\n')
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  console.log('Stopping the emulator.')
  await endpoint.close()
  await moto.stop()
}

/** A self-signed certificate for the names, made by openssl and imported into moto's ACM. */
async function importNew(
  motoServer: Moto,
  names: string[],
  days: number
): Promise<[TestCertificate, string]> {
  const made = await makeCertificate({ names, days })
  return [made, await motoServer.importCertificate(made.certificate, made.privateKey)]
}

function show(title: string, run: ActionRun): void {
  console.log(`── ${title}: exit code ${run.exitCode}`)
  for (const line of run.stdout.split('\n')) {
    if (line !== '' && !line.startsWith('::add-mask::')) console.log(`   | ${line}`)
  }
  console.log(`   outputs: ${JSON.stringify(run.outputs)}`)
  const summary = run.summary
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  console.log(`   job summary (text): ${summary}\n`)
}
