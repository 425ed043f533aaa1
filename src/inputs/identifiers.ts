import { hasControlCharacter, shown } from '../common/display.js'
import { accept, reject, type Checked } from '../common/problem.js'
import { knownRegion, type Region } from './regions.js'

/** A user pool ID and the region it names. */
export interface UserPool {
  id: string
  region: Region
}

const POOL_EXAMPLE = 'eu-west-1_AbC123'
const POOL_ID_MAX = 55
const CERT_EXAMPLE = 'arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-…'
/** CloudFront, which serves every custom domain, reads ACM certificates from this region only. */
export const CLOUDFRONT_CERT_REGION = 'us-east-1'

/**
 * Where a custom domain's certificates live in ACM: us-east-1 in the aws partition, whatever the
 * pool's region; elsewhere (aws-cn, aws-us-gov) the pool's own region.
 */
export function certificateRegion(region: Region): string {
  return region.partition === 'aws' ? CLOUDFRONT_CERT_REGION : region.name
}

export function checkUserPoolId(value: string): Checked<UserPool> {
  const fail = (rule: string, fix: string) => reject<UserPool>('user-pool-id', value, rule, fix)
  const copyIt = `Copy the pool ID from the Cognito console or \`aws cognito-idp list-user-pools\`, for example ${POOL_EXAMPLE}.`
  if (value === '') return fail('is required', copyIt)
  if (hasControlCharacter(value))
    return fail(
      'contains a control character (a line break, tab or similar)',
      'Give the ID on one line.'
    )
  const fromArn = /^arn:[^:]*:cognito-idp:[^:]*:\d*:userpool\/(.+)$/.exec(value)
  if (fromArn?.[1] !== undefined)
    return fail(
      'is a user pool ARN, not its ID',
      `Use the part after "userpool/": ${shown(fromArn[1])}.`
    )
  if (value.length > POOL_ID_MAX)
    return fail(`is ${value.length} characters long; a pool ID has at most ${POOL_ID_MAX}`, copyIt)
  const capitals = /^([A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)_([0-9a-zA-Z]+)$/.exec(value)
  if (capitals?.[1] !== undefined && knownRegion(capitals[1].toLowerCase()) !== undefined)
    return fail(
      `starts with the region ${shown(capitals[1])} in capitals; region codes are lowercase, and Cognito pool IDs start with the region as it is written`,
      `Use ${shown(`${capitals[1].toLowerCase()}_${capitals[2] ?? ''}`)}: copy the ID from the Cognito console, which writes the region in lowercase.`
    )
  const parts = /^([a-z0-9-]+)_([0-9a-zA-Z]+)$/.exec(value)
  if (parts?.[1] === undefined)
    return fail('is not of the form <region>_<letters and digits>', copyIt)
  const region = knownRegion(parts[1])
  if (region === undefined)
    return fail(
      `starts with ${shown(parts[1])}, which is not an AWS region that this action's AWS SDK knows`,
      `Check the ID's region prefix; a pool ID looks like ${POOL_EXAMPLE}. If the region was launched recently, use a newer release of this action.`
    )
  return accept({ id: value, region })
}

/** The optional `aws-region` input: a guard that must agree with the pool's own region. */
export function checkRegionGuard(value: string, pool: UserPool | undefined): Checked<undefined> {
  const fail = (rule: string, fix: string) => reject<undefined>('aws-region', value, rule, fix)
  if (value === '') return accept(undefined)
  if (hasControlCharacter(value))
    return fail(
      'contains a control character (a line break, tab or similar)',
      'Give the region on one line.'
    )
  if (knownRegion(value) === undefined && knownRegion(value.toLowerCase()) !== undefined)
    return fail(
      'is written in capitals; region codes are lowercase',
      `Use ${shown(value.toLowerCase())}, or leave aws-region out: the pool ID already names its region.`
    )
  if (knownRegion(value) === undefined)
    return fail(
      "is not an AWS region that this action's AWS SDK knows",
      'Give a region code such as eu-west-1, or leave aws-region out: the pool ID already names its region.'
    )
  if (pool !== undefined && pool.region.name !== value)
    return fail(
      `differs from the region of user-pool-id ${pool.id} (${pool.region.name}); Cognito calls go to the pool's own region`,
      `Set aws-region to ${pool.region.name}, or leave it out.`
    )
  return accept(undefined)
}

export function checkCertificateArn(value: string, pool: UserPool | undefined): Checked<string> {
  const fail = (rule: string, fix: string) => reject<string>('certificate-arn', value, rule, fix)
  const inUsEast1 = `Request or import the certificate in ACM in ${CLOUDFRONT_CERT_REGION} (N. Virginia) and use its ARN, for example ${CERT_EXAMPLE}.`
  if (value === '') return fail('is required', inUsEast1)
  if (hasControlCharacter(value))
    return fail(
      'contains a control character (a line break, tab or similar)',
      'Give the ARN on one line.'
    )
  if (/\s/.test(value)) return fail('contains white space', 'Give the ARN alone, with no spaces.')
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    return fail(
      'is a certificate ID, not its ARN',
      `Give the full ARN, for example ${CERT_EXAMPLE}.`
    )
  const arn = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(value)
  if (arn === null)
    return fail(
      'is not an ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>), nor the word newest',
      `${inUsEast1} Or write newest to follow the certificate in ACM that covers the domain and expires last.`
    )
  const [, partitionName = '', service = '', region = '', account = '', resource = ''] = arn
  if (service === 'iam' && resource.startsWith('server-certificate/'))
    return fail(
      'is an IAM server certificate; Cognito custom domains take ACM certificates only',
      inUsEast1
    )
  if (service !== 'acm')
    return fail(`is an ARN of the ${shown(service)} service, not of ACM`, inUsEast1)
  const certRegion = knownRegion(region)
  if (certRegion === undefined)
    return fail(
      `names the region ${shown(region)}, which is not an AWS region that this action's AWS SDK knows`,
      inUsEast1
    )
  if (certRegion.partition !== partitionName)
    return fail(
      `names the region ${region}, which is in the ${certRegion.partition} partition, not in ${shown(partitionName)}`,
      'Check the ARN: copy it from the ACM console.'
    )
  if (pool !== undefined && pool.region.partition !== partitionName)
    return fail(
      `is in the ${partitionName} partition, but user pool ${pool.id} is in ${pool.region.partition}; a domain can only use a certificate of its own partition`,
      'Use a certificate from the same partition as the user pool.'
    )
  if (partitionName === 'aws' && region !== CLOUDFRONT_CERT_REGION)
    return fail(
      `is in ${region}; CloudFront, which serves Cognito custom domains, only uses ACM certificates from ${CLOUDFRONT_CERT_REGION}, whatever the pool's region`,
      inUsEast1
    )
  if (!/^\d{12}$/.test(account))
    return fail(
      `has the account ${shown(account)}; an account ID is 12 digits`,
      'Check the ARN: copy it from the ACM console.'
    )
  if (!/^certificate\/[A-Za-z0-9-]{1,128}$/.test(resource))
    return fail('does not end in certificate/<id>', 'Check the ARN: copy it from the ACM console.')
  return accept(value)
}
