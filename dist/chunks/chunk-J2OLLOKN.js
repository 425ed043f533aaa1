import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as t}from"./chunk-7L6YAWLS.js";var o=t((p,e)=>{e.exports=process.getBuiltinModule("node:http")});export{o as a};
