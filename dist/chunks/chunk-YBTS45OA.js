import { n } from '../index.js';

var c=n((i,e)=>{var t=process.getBuiltinModule("node:http");e.exports=typeof t=="object"?Object.create(t):t;});

export { c };
