// Chromium writes its PNG screenshots with fast compression: this re-deflates
// the image data at the highest level, losslessly (same pixels, same header), so
// the committed gallery stays small.
import { readFileSync, writeFileSync } from "node:fs";
import { crc32, deflateSync, inflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Rewrites the PNG at `file` with its IDAT data deflated at level 9; returns the new size in bytes. */
export function recompressPng(file: string): number {
  const png = readFileSync(file);
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${file} is not a PNG`);
  const before: Buffer[] = [];
  const after: Buffer[] = [];
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    const whole = png.subarray(at, at + 12 + length);
    if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    else (idat.length ? after : before).push(whole);
    at += 12 + length;
  }
  const data = deflateSync(inflateSync(Buffer.concat(idat)), { level: 9, memLevel: 9 });
  const out = Buffer.concat([SIGNATURE, ...before, chunk("IDAT", data), ...after]);
  if (out.length < png.length) writeFileSync(file, out);
  return Math.min(out.length, png.length);
}
