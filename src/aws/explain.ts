/**
 * AWS failures said to a person: what failed, what the service said, and what to do next. How a
 * failure is classed (throttled, passing, refused) is errors.ts's; this file only words it.
 */
import { TimeUp } from '../common/time.js'
import { oneLine } from '../common/display.js'
import type { Settings } from '../inputs/settings.js'
import { certificateRegion } from '../inputs/identifiers.js'
import {
  CallFailed,
  isNetworkFailure,
  isThrottling,
  requestIdOf,
  type SdkErrorLike
} from './errors.js'
import { redactCredentials } from './secrets.js'

/** What the messages name: the domain, the pool, what was asked, and the attempt deadline. */
export type ExplainContext = Pick<
  Settings,
  'domain' | 'pool' | 'certificateArn' | 'managedLoginVersion' | 'limits'
>

/** Node's codes for a TLS certificate it does not trust. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/**
 * One message a person can act on, for an AWS call that failed after the SDK's retries: what
 * failed, what the service said, and what to do next.
 */
export function explainFailure(
  failed: CallFailed,
  settings: ExplainContext,
  tried?: Tried
): string {
  const { call, cause: error } = failed
  const err: SdkErrorLike =
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  const name = err.name ?? 'Error'
  const said = `${name}: ${oneLine(err.message ?? '(no message)')}`
  const { domain, pool } = settings
  const region = pool.region.name
  const where = `${call} for ${failed.about}`
  const tries = attemptsText(tried ?? triedBySdk(err))
  const endpoint = process.env.AWS_ENDPOINT_URL
  const acm = call !== 'DescribeUserPoolDomain' && call !== 'UpdateUserPoolDomain'
  const service = acm ? 'ACM' : 'Cognito'
  const serviceRegion = acm ? certificateRegion(pool.region) : region
  const target =
    endpoint === undefined || endpoint === ''
      ? `${service} in ${serviceRegion}`
      : `the endpoint in AWS_ENDPOINT_URL (${endpoint})`
  const transport = transportProblem(failed, err, where, tries, target, settings)
  if (transport !== undefined) return transport
  if (name === 'CredentialsProviderError') return credentialsProblem(where, said)
  if (acm) return explainAcmFailure(call, where, err, tries, serviceRegion)

  switch (name) {
    case 'NotAuthorizedException':
    case 'AccessDeniedException':
      return `${where} was not authorized (${said}). The role this job uses needs cognito-idp:DescribeUserPoolDomain on "*", cognito-idp:UpdateUserPoolDomain on arn:${pool.region.partition}:cognito-idp:${region}:<account>:userpool/${pool.id}, and cloudfront:UpdateDistribution on "*" (Cognito updates the domain's CloudFront distribution as you). Add them to the role's policy (docs/permissions.md) and run again.`
    case 'ResourceNotFoundException':
      return `${where}: Cognito found no such resource (${said}). Check that user pool ${pool.id} exists in ${region} and owns the custom domain ${domain}.`
    case 'InvalidParameterException':
      return settings.certificateArn === undefined
        ? `${where}: Cognito refused a parameter (${said}). Check managed-login-version (1 or 2) and security-policy against what the domain supports, then run again.`
        : `${where}: Cognito refused a parameter (${said}). Complaints from CloudFront about the certificate arrive this way: check that ${settings.certificateArn} is ISSUED in ACM in ${certificateRegion(pool.region)}, covers ${domain}, and has an RSA (1024 to 4096 bits) or EC P-256 key.`
    case 'ConcurrentModificationException':
      return `${where}: another change to the domain is in progress (${said}). Wait until the domain is ACTIVE again, then run again; give the workflow a \`concurrency:\` group per domain so rotations never overlap.`
  }
  if (isThrottling(name, err.$metadata?.httpStatusCode))
    return `${where}: Cognito kept throttling the call and the action gave up${tries} (${said}). Run again later, run fewer jobs against this account at once, or raise max-attempts (at most 10).`
  switch (name) {
    case 'InternalErrorException':
      return `${where}: Cognito had an internal error${tries} (${said}). Run again in a few minutes; if it persists, look at the AWS Health Dashboard for Cognito in ${region}.`
    case 'FeatureUnavailableInTierException':
      return settings.managedLoginVersion === 2
        ? `${where}: managed login is not in user pool ${pool.id}'s feature plan (${said}). managed-login-version: 2 needs the Essentials or Plus feature plan; Lite has the classic hosted UI only. Move the pool to Essentials or Plus (Cognito console: Settings, Feature plan; or UpdateUserPool with UserPoolTier: ESSENTIALS), or keep managed-login-version: 1. Nothing was changed.`
        : `${where}: the user pool's feature plan does not include this (${said}). Move user pool ${pool.id} to a feature plan that does (Essentials or Plus), or change the domain without that feature.`
    case 'OperationNotEnabledException':
      return `${where}: the operation is not enabled for this pool in ${region} (${said}). Domains are changed in the pool's primary region, not in a replica region: give the ID of the pool in its primary region.`
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'RequestExpired':
    case 'SignatureDoesNotMatch':
      return `${where}: AWS refused the job's credentials (${said}). ${
        onRunner()
          ? 'Check the configure-aws-credentials step: the role session may have expired or belong to another partition.'
          : 'Your session may have expired (`aws sso login` renews an SSO session) or belong to another partition: `aws sts get-caller-identity` shows which credentials are found.'
      }`
  }
  const status = err.$metadata?.httpStatusCode
  if (status !== undefined && status >= 500)
    return `${where}: Cognito answered HTTP ${status}${tries} (${said}). Run again in a few minutes.`
  return `${where} failed${tries} (${said}).`
}

/** Failures of the connection or of what answered, the same for every service. */
function transportProblem(
  failed: CallFailed,
  err: SdkErrorLike,
  where: string,
  tries: string,
  target: string,
  settings: ExplainContext
): string | undefined {
  const error = failed.cause
  const name = err.name ?? 'Error'
  if (error instanceof TimeUp)
    return failed.attempts === 0
      ? `${where}: nothing was sent within ${error.ms / 1000} s, the most one call may take: resolving the job's AWS credentials took that long (a credential_process, a web identity token exchanged with AWS STS, or an instance metadata service that does not answer). Check how the job gets its credentials (configure-aws-credentials sets them as variables, which resolve at once), then run again.`
      : `${where}: no answer within ${error.ms / 1000} s, the most one call may take (max-attempts × attempt-timeout-seconds, plus the back-off between attempts). Check the runner's network, proxy settings and AWS_ENDPOINT_URL, then run again.`
  if (name === 'NotAnAwsAnswer')
    return `${where}: the answer did not come from AWS${tries}: ${err.message ?? ''}. A proxy, firewall or gateway between the runner and ${target} answered instead. Check the runner's proxy settings (HTTPS_PROXY, NO_PROXY), its firewall, and AWS_ENDPOINT_URL, then run again.`
  if (name === 'EndlessListing')
    return `${where}: ${err.message ?? ''}. Something between the runner and ${target} is not answering as ACM does. Check AWS_ENDPOINT_URL and the runner's proxy settings, then run again.`
  if (name === 'AnswerTooLarge')
    return `${where}: ${err.message ?? ''}${tries}: something between the runner and ${target} is not answering as AWS does. Check AWS_ENDPOINT_URL and the runner's proxy settings, then run again.`
  const operation = (error as { operation?: unknown } | null)?.operation
  if (name === 'TimeoutError' && err.code === 'ETIMEDOUT') {
    if (typeof operation === 'string' && operation !== failed.call)
      return `${where}: the job's AWS credentials could not be resolved: ${operation} (AWS STS) got no complete answer within attempt-timeout-seconds (${settings.limits.attemptMs / 1000} s)${tries}. Check the runner's route to AWS STS and its proxy settings, then run again.`
    return `${where}: no complete answer from ${target} within attempt-timeout-seconds (${settings.limits.attemptMs / 1000} s)${tries}: the connection or the answer stalled or was too slow. Check the runner's network and proxy settings, then run again; on a slow network, raise attempt-timeout-seconds.`
  }
  if (UNTRUSTED.has(err.code ?? ''))
    return `${where}: the runner does not trust the TLS certificate presented for ${target} (${err.code ?? ''}: ${err.message ?? ''}). A proxy that inspects TLS traffic presents its own certificate: give its CA certificate to node with NODE_EXTRA_CA_CERTS in the job's env, or leave AWS's endpoints out of the inspection.`
  if (isNetworkFailure(err))
    return `${where}: could not reach ${target}${tries} (${err.code ?? name}: ${err.message ?? ''}). Check the runner's network, proxy settings and AWS_ENDPOINT_URL, then run again.`
  return undefined
}

/** Whether the run is a step of a GitHub Actions job, rather than a run from your own machine. */
function onRunner(): boolean {
  return process.env.GITHUB_ACTIONS === 'true'
}

/** No credentials: what the SDK's chain looked at, and what to set. */
function credentialsProblem(where: string, said: string): string {
  const profile = process.env.AWS_PROFILE
  if (profile !== undefined && profile !== '') {
    const keys =
      (process.env.AWS_ACCESS_KEY_ID ?? '') !== ''
        ? ' The AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables are set, but the AWS SDK ignores them while AWS_PROFILE is set.'
        : ''
    return `${where}: no AWS credentials were found for the profile that AWS_PROFILE names (AWS_PROFILE=${profile}): it is not in the AWS config or credentials file, or it has no credentials (${said}).${keys} ${
      onRunner()
        ? "Unset AWS_PROFILE for this step (env: AWS_PROFILE: '') to use the credentials from configure-aws-credentials, or point it at a profile that exists on the runner."
        : '`aws configure list-profiles` lists your profiles; for an SSO profile, `aws sso login --profile <name>` first.'
    }`
  }
  return `${where}: no AWS credentials were found (${said}). ${
    onRunner()
      ? 'Add aws-actions/configure-aws-credentials before this step (README.md, "Usage"), or set the AWS_* variables.'
      : 'From your own machine, sign in as for the AWS CLI: set AWS_PROFILE to one of your profiles (`aws sso login --profile <name>` first for an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
  }`
}

/** ACM's failures: reading certificates, and importing, tagging and deleting them. */
function explainAcmFailure(
  call: string,
  where: string,
  err: SdkErrorLike,
  tries: string,
  region: string
): string {
  const name = err.name ?? 'Error'
  const said = `${name}: ${oneLine(err.message ?? '(no message)')}`
  switch (name) {
    case 'AccessDeniedException':
    case 'NotAuthorizedException':
      return deniedText(call, where, said)
    case 'LimitExceededException':
      return `${where}: ACM's quota is reached (${said}). An account holds a limited number of certificates, and imports a limited number a year: delete certificates that nothing uses (retire-replaced: true does that for the ones this action imported), or ask AWS to raise the quota (Service Quotas, ACM).`
    case 'ResourceInUseException':
      return `${where}: ACM says the certificate is still in use (${said}). It was kept; delete it once nothing uses it.`
    case 'TagPolicyException':
    case 'InvalidTagException':
    case 'TooManyTagsException':
      return `${where}: ACM refused the tags this action puts on an imported certificate (${said}). A tag policy of the organization may forbid them: allow the keys cognito-domain-cert:domain, cognito-domain-cert:sha256 and cognito-domain-cert:chain-sha256.`
    case 'ResourceNotFoundException':
      return `${where}: ACM has no such certificate in this account (${said}). Check the ARN, and that the job's role belongs to the account that owns the certificate.`
    case 'InvalidArnException':
      return `${where}: ACM says the ARN is not valid (${said}). Copy the ARN from the ACM console in ${region}.`
  }
  const status = err.$metadata?.httpStatusCode
  if (isThrottling(name, status))
    return `${where}: ACM kept throttling the call and the action gave up${tries} (${said}). ACM allows only a few calls a second per account: run again later, run fewer jobs against this account at once, or raise max-attempts (at most 10).`
  if (call === 'ImportCertificate' && status !== undefined && status >= 400 && status < 500)
    return `${where}: ACM refused to import the certificate (${said}). The action's own checks passed, so this is a rule of ACM's that they do not know: see the message, and ACM's prerequisites for imported certificates.`
  if (status !== undefined && status >= 400 && status < 500)
    return `${where} was refused (${said}). Check the certificate's ARN (copy it from the ACM console in ${region}) and the role's ACM permissions (docs/permissions.md).`
  return `${where} failed${tries} (${said}). Run again in a few minutes.`
}

/** A call ACM refused the job: the permission it needs, and where it is needed. */
function deniedText(call: string, where: string, said: string): string {
  const denied = `${where} was not authorized (${said}).`
  switch (call) {
    case 'ListCertificates':
      return `${denied} certificate-arn: newest and certificate-pem list the account's certificates: the role this job uses needs acm:ListCertificates on "*" (docs/permissions.md).`
    case 'ImportCertificate':
      return `${denied} certificate-pem imports the certificate, tagged: the role this job uses needs acm:ImportCertificate and acm:AddTagsToCertificate (docs/pem.md, "Permissions").`
    case 'ListTagsForCertificate':
      return `${denied} The action reads a certificate's tags to know whether it imported it: the role this job uses needs acm:ListTagsForCertificate (docs/pem.md, "Permissions").`
    case 'DeleteCertificate':
      return `${denied} retire-replaced deletes a certificate this action imported: the role this job uses needs acm:DeleteCertificate on certificates tagged cognito-domain-cert:domain (docs/permissions.md).`
    default:
      return `${denied} The role this job uses needs acm:${call} on the certificate (docs/permissions.md).`
  }
}

/** How often a call was tried, and how long it paused between its attempts. */
export interface Tried {
  attempts: number
  pausedMs: number
}

/** The attempts the SDK made, as it tells them on the error. */
function triedBySdk(err: SdkErrorLike): Tried {
  return {
    attempts: err.$metadata?.attempts ?? 1,
    pausedMs: err.$metadata?.totalRetryDelay ?? 0
  }
}

function attemptsText(tried: Tried): string {
  if (tried.attempts <= 1) return ''
  return ` after ${tried.attempts} attempts (${(tried.pausedMs / 1000).toFixed(1)} s of back-off)`
}

/**
 * The message for any error that ends a run, with the AWS request ID when there is one and the
 * job's credentials redacted.
 */
export function failureMessage(error: unknown, settings: ExplainContext, tried?: Tried): string {
  if (error instanceof CallFailed) {
    const requestId = requestIdOf(error)
    const id = requestId === undefined ? '' : ` (AWS request ID ${requestId})`
    return redactCredentials(explainFailure(error, settings, tried) + id)
  }
  const text = error instanceof Error ? error.message : String(error)
  return redactCredentials(
    `Unexpected error: ${text}. Please report it with the log of this run (re-run with debug logging for a stack trace).`
  )
}
