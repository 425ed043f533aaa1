import { createRequire } from 'node:module';

createRequire(import.meta.url);
var i={version:"3.998.3"};

export { i };
