import { createRequire } from 'node:module';
import { n } from '../index.js';

createRequire(import.meta.url);
var s=n((n,o)=>{o.exports=process.getBuiltinModule("node:async_hooks");});s();
