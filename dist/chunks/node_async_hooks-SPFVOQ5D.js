import { n } from '../index.js';

var s=n((n,o)=>{o.exports=process.getBuiltinModule("node:async_hooks");});s();
