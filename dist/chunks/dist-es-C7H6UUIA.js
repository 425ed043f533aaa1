import { createRequire } from 'node:module';
import { at as i } from './aws.js';
export { au as ENV_ACCOUNT_ID, av as ENV_CREDENTIAL_SCOPE, aw as ENV_EXPIRATION, ax as ENV_KEY, ay as ENV_SECRET, az as ENV_SESSION } from './aws.js';
import '../index.js';

createRequire(import.meta.url);

export { i as fromEnv };
