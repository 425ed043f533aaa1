import { partition } from '@aws-sdk/core/client'

/** An AWS region as the AWS SDK's own partition metadata knows it. */
export interface Region {
  name: string
  /** aws, aws-cn, aws-us-gov, ... */
  partition: string
}

// Real regions end in a number; this leaves out the SDK's pseudo-regions such as aws-global.
const REGION_SHAPE = /^[a-z]{2,}(-[a-z]+)+-\d+$/

/**
 * The region, if the SDK's partition metadata lists it. The SDK would also map an unlisted name
 * that fits a partition's pattern (us-foo-1) to that partition; we don't, as such a name is far
 * more often a typo than a region launched after this action was built.
 */
export function knownRegion(name: string): Region | undefined {
  if (!REGION_SHAPE.test(name)) return undefined
  const found = partition(name) as { name: string; description?: string }
  return found.description === undefined ? undefined : { name, partition: found.name }
}
