import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as o}from"./chunk-7L6YAWLS.js";var s=o((t,e)=>{e.exports=process.getBuiltinModule("node:fs")});export{s as a};
