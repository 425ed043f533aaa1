import * as core from '@actions/core'

const SENSITIVE_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']

/**
 * Masks the job's AWS credentials before anything could print them (an SDK error can quote the
 * access key ID). configure-aws-credentials masks them too; this covers credentials set by hand.
 */
export function maskCredentials(): void {
  for (const name of SENSITIVE_VARIABLES) {
    const value = process.env[name]
    if (value !== undefined && value !== '') core.setSecret(value)
  }
}
