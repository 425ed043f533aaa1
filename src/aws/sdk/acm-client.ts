/**
 * The part of the ACM SDK this action uses, and the SDK's HTTP handler (bounded per attempt in
 * attempts.ts). Loaded with import() from acm.ts; importing these names statically here lets the
 * bundler leave out the rest of the ACM client.
 */
export {
  ACMClient,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ImportCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand
} from '@aws-sdk/client-acm'
export { NodeHttpHandler } from '@smithy/node-http-handler'
