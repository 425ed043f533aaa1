/**
 * The part of the Cognito SDK this action uses, and the SDK's HTTP handler (bounded per attempt in
 * attempts.ts). Loaded with import() from cognito.ts; importing these names statically here, rather
 * than the whole package dynamically, lets the bundler leave out the schemas and commands of the
 * other Cognito operations.
 */
export {
  CognitoIdentityProviderClient,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolDomainCommand
} from '@aws-sdk/client-cognito-identity-provider'
export { NodeHttpHandler } from '@smithy/node-http-handler'
