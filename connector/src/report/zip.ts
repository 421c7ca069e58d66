/**
 * A small synchronous ZIP reader (stored and deflated entries, no ZIP64), enough to unpack a
 * `.pbiviz`. The connector's commands are synchronous, and JSZip only reads asynchronously.
 */
import * as zlib from "node:zlib";

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Every file entry of the archive, by its path inside the archive ("/" separators). */
export function readZip(data: Buffer): Map<string, Buffer> {
    let eocd = -1;
    for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
        if (data.readUInt32LE(at) === EOCD) {
            eocd = at;
            break;
        }
    }
    if (eocd < 0) throw new ZipError("not a ZIP archive (no end of central directory)");
    const count = data.readUInt16LE(eocd + 10);
    let at = data.readUInt32LE(eocd + 16);
    const files = new Map<string, Buffer>();
    for (let i = 0; i < count; i++) {
        if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) throw new ZipError("corrupt central directory");
        const flags = data.readUInt16LE(at + 8);
        const method = data.readUInt16LE(at + 10);
        const crc = data.readUInt32LE(at + 16);
        const compressedSize = data.readUInt32LE(at + 20);
        const size = data.readUInt32LE(at + 24);
        const nameLength = data.readUInt16LE(at + 28);
        const extraLength = data.readUInt16LE(at + 30);
        const commentLength = data.readUInt16LE(at + 32);
        const localOffset = data.readUInt32LE(at + 42);
        const name = data.toString((flags & 0x800) !== 0 ? "utf8" : "latin1", at + 46, at + 46 + nameLength);
        at += 46 + nameLength + extraLength + commentLength;
        if (name.endsWith("/")) continue; // a folder entry
        if (compressedSize === 0xffffffff || size === 0xffffffff)
            throw new ZipError(`${name}: ZIP64 entries are not supported`);
        if ((flags & 0x1) !== 0) throw new ZipError(`${name} is encrypted`);
        if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL)
            throw new ZipError(`${name}: corrupt local header`);
        const start = localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
        const raw = data.subarray(start, start + compressedSize);
        let content: Buffer;
        if (method === 0) content = Buffer.from(raw);
        else if (method === 8) content = zlib.inflateRawSync(raw);
        else throw new ZipError(`${name}: compression method ${method} is not supported`);
        if (content.length !== size || zlib.crc32(content) !== crc)
            throw new ZipError(`${name}: size or checksum mismatch (damaged archive)`);
        const path = name.replace(/\\/g, "/");
        if (path.startsWith("/") || path.split("/").includes("..")) throw new ZipError(`${name}: unsafe path`);
        files.set(path, content);
    }
    return files;
}
