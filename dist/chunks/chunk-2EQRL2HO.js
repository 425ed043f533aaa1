import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as t}from"./chunk-XTOIJN4C.js";var o=t((p,e)=>{e.exports=process.getBuiltinModule("node:http")});export{o as a};
