/**
 * The GitHub client, loaded with import() from deployment.ts only when github-token is given, so a
 * run without a token never loads it (nor the HTTP stack it brings).
 */
export { getOctokit } from '@actions/github'
