import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as o}from"./chunk-XTOIJN4C.js";var s=o((t,e)=>{e.exports=process.getBuiltinModule("node:tls")});export default s();
