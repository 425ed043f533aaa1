import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a}from"./chunk-2EQRL2HO.js";import"./chunk-XTOIJN4C.js";export default a();
