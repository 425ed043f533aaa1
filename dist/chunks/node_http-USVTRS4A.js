import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a}from"./chunk-J2OLLOKN.js";import"./chunk-7L6YAWLS.js";export default a();
