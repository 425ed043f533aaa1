import { FAKE_CREDENTIALS } from './action.ts'

/**
 * The AWS CLI v2 as the tests and the benchmark run it: the tests' fake credentials, no config or
 * credentials files, no instance metadata, no pager.
 */
export function awsCliEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...FAKE_CREDENTIALS,
    ...extra
  }
}

/** The CLI's arguments for the update this action makes: a custom domain onto a certificate. */
export function updateDomainArguments(
  domain: string,
  pool: string,
  certificateArn: string
): string[] {
  return [
    'cognito-idp',
    'update-user-pool-domain',
    '--domain',
    domain,
    '--user-pool-id',
    pool,
    '--custom-domain-config',
    `CertificateArn=${certificateArn}`
  ]
}
