import { p, n } from '../index.js';

var a=n((b,n)=>{var s=process.getBuiltinModule("node:zlib");n.exports=typeof s=="object"?Object.create(s):s;});var i=p(a());var f=new Uint32Array(256);for(let r=0;r<256;++r){let t=r;for(let e=0;e<8;++e)t=t&1?3988292384^t>>>1:t>>>1;f[r]=t>>>0;}var c=4294967295,o=class{digestLength=4;checksum=c;update(t){for(let e=0;e<t.length;++e)this.checksum=this.checksum>>>8^f[(this.checksum^t[e])&255];}digestSync(){return (this.checksum^c)>>>0}async digest(){let t=this.digestSync(),e=new Uint8Array(4);return new DataView(e.buffer).setUint32(0,t,false),e}reset(){this.checksum=c;}};var u=typeof i.crc32=="function"?i.crc32:void 0,d=u?m(u):o;function m(r){return class{digestLength=4;value=0;update(e){this.value=r(e,this.value);}digestSync(){return this.value>>>0}async digest(){let e=new Uint8Array(4);return new DataView(e.buffer).setUint32(0,this.digestSync(),false),e}reset(){this.value=0;}}}

export { d };
