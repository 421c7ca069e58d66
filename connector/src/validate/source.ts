/**
 * Streaming CSV reader for the validator: bytes -> text -> rows with their physical line numbers.
 *
 * Parser choice, measured with bench/validator.ts on its generated 1,000,000-line, 102 MB charges
 * file (Node 20, this shared 2-core machine, load average about 10 during the run; parse only,
 * streaming from disk in 64 KB chunks, each parser in its own process):
 *   csv-parse 7.0.3 (stream, relax_column_count):    4.71 s wall, 3.27 s CPU, peak RSS 88 MB
 *   papaparse 5.5.3 (Node stream input, step):       0.70 s wall, 0.64 s CPU, peak RSS 88 MB
 * (csv-parse's `info: true`, which line numbers would need, cost it another 60% in an earlier run.)
 * papaparse is about five times faster and keeps going after a malformed quote (it reports the
 * row's error; csv-parse stops the stream unless told to skip the record), so the validator uses
 * papaparse's parser, fed chunk by chunk as its own stream reader feeds it (RowSplitter). Line
 * numbers do not come from the parser: every physical line is accounted for by rows (blank lines
 * arrive as [""]), so a row's first line is the previous row's last line + 1, and a row spans one line plus
 * the line breaks inside its quoted fields.
 *
 * Around the parser this module does what no CSV library does for us: finds the UTF-8 BOM,
 * names the lines holding invalid UTF-8 bytes (checked per chunk with buffer.isUtf8, scanned
 * byte by byte only when a chunk fails), turns CRLF into LF (so mixed line endings parse; a line
 * break inside a quoted value is kept as LF in the clean output), holds
 * back one row to know which is the last, and re-reads the rest of a file after a quote that is
 * never closed, so one stray quote does not swallow every row after it.
 */
import * as fs from "node:fs";
import { isUtf8 } from "node:buffer";
import Papa from "papaparse";

export interface SourceRow {
    fields: string[];
    /** Physical line numbers (1 = the header), first and last line of the row. */
    line: number;
    lastLine: number;
    /** Lines of this row holding bytes that are not UTF-8. */
    invalidUtf8Lines?: number[];
    /** Lines of this row holding a NUL byte. */
    nulLines?: number[];
    /** Malformed or unclosed quotes, in plain words. */
    quoteProblem?: string;
    /** The file's last row and the file does not end with a line break. */
    unterminatedLast?: boolean;
    /**
     * The row's line as read (after CRLF became LF), when it holds no quote and no carriage
     * return: the fields joined by the delimiter, so a row that is written out unchanged can be
     * written as this text.
     */
    text?: string;
}

export interface SourceStats {
    bytes: number;
    /** Physical lines, counting a last line without a line break. */
    lines: number;
    bom: boolean;
    crlfLines: number;
    lfLines: number;
    endsWithNewline: boolean;
    invalidUtf8Lines: number[];
    /** Lines holding a NUL byte (the rest of the file is read). */
    nulLines: number[];
}

/** The file cannot be read as CSV at all (wrong encoding, binary); the message says why. */
export class SourceShapeError extends Error {}

/** Code pages the validator decodes, as in the mapping file's `encoding` (Power Query's). */
export const ENCODINGS: Record<number, string> = {
    65001: "utf-8",
    1252: "windows-1252",
    28591: "latin1",
    20127: "ascii",
};

/**
 * Bytes read at a time. Measured on the bench file: 64 KB chunks cut peak RSS from about 230 MB
 * (1 MB chunks) to about 125 MB and CPU time by a fifth; papaparse joins each chunk to the
 * partial row before it, so big chunks leave big strings for the garbage collector.
 */
export const CHUNK_BYTES = 1 << 16;

export interface ReadOptions {
    delimiter: string;
    encoding: number;
    chunkBytes?: number;
}

const NO_ERRORS: Papa.ParseError[] = [];

/**
 * Rows of CSV text fed chunk by chunk, split exactly as papaparse's streaming reader splits them:
 * the text after the last complete row is joined to the next chunk, and text holding no quote is
 * split at line breaks and delimiters (papaparse's own fast mode, input.split). That fast mode is
 * done here, without papaparse's per-row result objects, and gives each row its line's text; text
 * holding a quote goes to papaparse's parser with the last row held back until the file ends, as
 * its ChunkStreamer does. Measured on the bench file (parse only, the same stream, back to back):
 * 0.40 to 0.49 s of CPU against Papa.parse's 0.46 to 0.54 s; the larger gain is the line's text,
 * which --out writes as it is for a row it keeps unchanged.
 */
export class RowSplitter {
    private carry = "";
    private readonly delimiter: string;
    private readonly parser: Papa.Parser;

    constructor(
        delimiter: string,
        private readonly onRow: (fields: string[], errors: Papa.ParseError[], text: string | null) => void,
    ) {
        // papaparse replaces a delimiter it cannot use by a comma; so does the fast mode here.
        this.delimiter = Papa.BAD_DELIMITERS.includes(delimiter) ? "," : delimiter;
        this.parser = new Papa.Parser({
            delimiter: this.delimiter,
            newline: "\n",
            quoteChar: '"',
            header: false,
            skipEmptyLines: false,
            // The bare parser's step gets the rows parsed since the last step: one row.
            step: (result) => onRow((result.data as unknown as string[][])[0], result.errors, null),
        });
    }

    feed(chunk: string, final: boolean): void {
        const text = this.carry + chunk;
        this.carry = "";
        if (text === "") return;
        if (text.indexOf('"') !== -1) {
            const result = this.parser.parse(text, 0, !final) as Papa.ParseResult<string[]>;
            if (!final) this.carry = text.substring(result.meta.cursor);
            return;
        }
        const lines = text.split("\n");
        const last = lines.length - 1;
        for (let i = 0; i < last; i++) this.onRow(lines[i].split(this.delimiter), NO_ERRORS, lines[i]);
        if (final) this.onRow(lines[last].split(this.delimiter), NO_ERRORS, lines[last]);
        else this.carry = lines[last];
    }
}

function countNewlines(buf: Buffer, start = 0, end = buf.length): number {
    let count = 0;
    let i = buf.indexOf(10, start);
    while (i !== -1 && i < end) {
        count++;
        i = buf.indexOf(10, i + 1);
    }
    return count;
}

/** Length of an incomplete UTF-8 sequence at the end of buf (0 to 3 bytes to carry over). */
function incompleteTail(buf: Buffer): number {
    for (let back = 1; back <= Math.min(3, buf.length); back++) {
        const byte = buf[buf.length - back];
        if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
        const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

/** Offsets of bytes that start an invalid UTF-8 sequence (overlongs and surrogates included). */
export function invalidUtf8Offsets(buf: Buffer): number[] {
    const bad: number[] = [];
    let i = 0;
    while (i < buf.length) {
        const b = buf[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        let need = 0;
        let min = 0;
        if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            min = 0x10000;
        } else {
            bad.push(i);
            i++;
            continue;
        }
        let cp = b & (0x3f >> need);
        let ok = i + need < buf.length;
        for (let k = 1; ok && k <= need; k++) {
            const c = buf[i + k];
            if ((c & 0xc0) !== 0x80) ok = false;
            else cp = (cp << 6) | (c & 0x3f);
        }
        if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            bad.push(i);
            i++;
            continue;
        }
        i += need + 1;
    }
    return bad;
}

/**
 * Reads a CSV file as rows, calling onRow for each (header included) in order. Resolves with the
 * file's shape once the last row is handled. Throws SourceShapeError for files it cannot read as
 * text; fs errors (missing, unreadable) propagate as they are.
 */
export async function readCsv(
    file: string,
    options: ReadOptions,
    onRow: (row: SourceRow) => void,
): Promise<SourceStats> {
    const label = ENCODINGS[options.encoding];
    if (!label)
        throw new SourceShapeError(
            `code page ${options.encoding} is not one the validator reads (it reads ${Object.keys(ENCODINGS).join(", ")})`,
        );
    const utf8 = label === "utf-8";
    const stats: SourceStats = {
        bytes: 0,
        lines: 0,
        bom: false,
        crlfLines: 0,
        lfLines: 0,
        endsWithNewline: true,
        invalidUtf8Lines: [],
        nulLines: [],
    };
    const decoder = new TextDecoder(label, { fatal: false, ignoreBOM: false });
    let newlinesBefore = 0;
    let lastByte = -1;

    let carry = Buffer.alloc(0);
    let heldCR = false;

    /** The first bytes (up to 4 KB, gathered across chunks): byte order marks and binary content. */
    const checkHead = (head: Buffer): void => {
        if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
            throw new SourceShapeError(
                "the file is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8",
            );
        }
        stats.bom = utf8 && head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
        // Many NULs: UTF-16 without a byte order mark, or a binary file. A few: lines to quarantine.
        let nuls = 0;
        for (let at = head.indexOf(0); at !== -1; at = head.indexOf(0, at + 1)) nuls++;
        if (nuls * 10 > head.length)
            throw new SourceShapeError(
                "the file holds NUL bytes throughout its start: it is not a text CSV (a spreadsheet or UTF-16 file?)",
            );
    };

    /** One chunk of bytes: invalid UTF-8 located by line, decoded, CRLF turned into LF. */
    const decodeChunk = (chunk: Buffer): string => {
        stats.bytes += chunk.length;
        lastByte = chunk[chunk.length - 1];
        if (utf8) {
            const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
            const tail = incompleteTail(joined);
            const body = tail > 0 ? joined.subarray(0, joined.length - tail) : joined;
            if (!isUtf8(body)) {
                const carryNewlines = countNewlines(carry);
                for (const offset of invalidUtf8Offsets(body)) {
                    const line = newlinesBefore - carryNewlines + countNewlines(body, 0, offset) + 1;
                    if (stats.invalidUtf8Lines[stats.invalidUtf8Lines.length - 1] !== line)
                        stats.invalidUtf8Lines.push(line);
                }
            }
            carry = tail > 0 ? Buffer.from(joined.subarray(joined.length - tail)) : Buffer.alloc(0);
        }
        for (let at = chunk.indexOf(0); at !== -1; at = chunk.indexOf(0, at + 1)) {
            const line = newlinesBefore + countNewlines(chunk, 0, at) + 1;
            if (stats.nulLines[stats.nulLines.length - 1] !== line) stats.nulLines.push(line);
        }
        newlinesBefore += countNewlines(chunk);
        let decoded = decoder.decode(chunk, { stream: true });
        if (heldCR) decoded = `\r${decoded}`;
        heldCR = decoded.endsWith("\r");
        if (heldCR) decoded = decoded.slice(0, -1);
        if (decoded.includes("\r\n")) {
            const normalized = decoded.replace(/\r\n/g, "\n");
            stats.crlfLines += decoded.length - normalized.length;
            decoded = normalized;
        }
        return decoded;
    };

    async function* text(): AsyncGenerator<string> {
        const stream = fs.createReadStream(file, { highWaterMark: options.chunkBytes ?? CHUNK_BYTES });
        let head: Buffer[] | null = [];
        let headBytes = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (chunk.length === 0) continue;
            if (head) {
                head.push(chunk);
                headBytes += chunk.length;
                if (headBytes < 4096) continue;
                checkHead(Buffer.concat(head).subarray(0, 4096));
                for (const c of head) {
                    const decoded = decodeChunk(c);
                    if (decoded.length > 0) yield decoded;
                }
                head = null;
                continue;
            }
            const decoded = decodeChunk(chunk);
            if (decoded.length > 0) yield decoded;
        }
        if (head) {
            checkHead(Buffer.concat(head));
            for (const c of head) {
                const decoded = decodeChunk(c);
                if (decoded.length > 0) yield decoded;
            }
        }
        if (utf8 && carry.length > 0) {
            // The file ends inside a multi-byte character.
            stats.invalidUtf8Lines.push(newlinesBefore + 1);
        }
        let rest = decoder.decode();
        if (heldCR) rest = `\r${rest}`;
        if (rest.length > 0) yield rest;
    }

    let nextLine = 1;
    let pending: SourceRow | null = null;
    let invalidIndex = 0;
    let nulIndex = 0;

    const annotate = (row: SourceRow): void => {
        const bad = stats.invalidUtf8Lines;
        while (invalidIndex < bad.length && bad[invalidIndex] < row.line) invalidIndex++;
        let k = invalidIndex;
        while (k < bad.length && bad[k] <= row.lastLine) k++;
        if (k > invalidIndex) row.invalidUtf8Lines = bad.slice(invalidIndex, k);
        const nul = stats.nulLines;
        while (nulIndex < nul.length && nul[nulIndex] < row.line) nulIndex++;
        let j = nulIndex;
        while (j < nul.length && nul[j] <= row.lastLine) j++;
        if (j > nulIndex) row.nulLines = nul.slice(nulIndex, j);
    };
    const emit = (row: SourceRow): void => {
        if (pending) {
            annotate(pending);
            onRow(pending);
        }
        pending = row;
    };

    const newlinesIn = (fields: string[], upTo = fields.length): number => {
        let n = 0;
        for (let i = 0; i < upTo; i++) {
            const f = fields[i];
            let at = f.indexOf("\n");
            while (at !== -1) {
                n++;
                at = f.indexOf("\n", at + 1);
            }
        }
        return n;
    };

    /** One parsed row (`text`: its line, when it was split without quotes); rows with an unclosed quote are split and the rest re-read. */
    const take = (fields: string[], errors: Papa.ParseError[], text: string | null): void => {
        const line = nextLine;
        if (text !== null) {
            // Split at line breaks outside quotes: one line, no line break in a field.
            nextLine = line + 1;
            const row: SourceRow = { fields, line, lastLine: line };
            if (text.indexOf("\r") === -1) row.text = text;
            emit(row);
            return;
        }
        const missing = errors.length > 0 && errors.some((e) => e.code === "MissingQuotes");
        if (missing && fields.length > 0) {
            const last = fields[fields.length - 1];
            const cut = last.indexOf("\n");
            if (cut !== -1 && cut < last.length - 1) {
                // The quote opened in the last field swallowed the lines after it: quarantine the
                // lines up to the first break inside that field and parse the rest again.
                const head = [...fields.slice(0, -1), last.slice(0, cut)];
                const lastLine = line + newlinesIn(fields, fields.length - 1);
                emit({
                    fields: head,
                    line,
                    lastLine,
                    quoteProblem:
                        "a quote opens a field here and is never closed (the rest of the file was read again from the next line)",
                });
                nextLine = lastLine + 1;
                const again = Papa.parse<string[]>(last.slice(cut + 1), {
                    delimiter: options.delimiter,
                    newline: "\n",
                    quoteChar: '"',
                    header: false,
                    skipEmptyLines: false,
                });
                const byRow = new Map<number, Papa.ParseError[]>();
                for (const e of again.errors)
                    if (e.row !== undefined) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
                again.data.forEach((r, i) => take(r, byRow.get(i) ?? [], null));
                return;
            }
        }
        const lastLine = line + newlinesIn(fields);
        nextLine = lastLine + 1;
        const row: SourceRow = { fields, line, lastLine };
        if (missing) row.quoteProblem = "a quote opens a field here and is never closed before the end of the file";
        else if (errors.length > 0 && errors.some((e) => e.type === "Quotes"))
            row.quoteProblem = 'a quoted field is malformed (a quote inside a quoted value must be doubled, "")';
        emit(row);
    };

    const rows = new RowSplitter(options.delimiter, take);
    for await (const chunk of text()) rows.feed(chunk, false);
    rows.feed("", true);

    stats.endsWithNewline = lastByte === -1 || lastByte === 10;
    stats.lines = newlinesBefore + (stats.endsWithNewline ? 0 : 1);
    stats.lfLines = newlinesBefore - stats.crlfLines;
    const final = pending as SourceRow | null;
    if (final) {
        // A file ending in a line break can yield a last empty row that is no line at all.
        if (!(final.fields.length === 1 && final.fields[0] === "" && final.line > stats.lines)) {
            if (!stats.endsWithNewline && final.lastLine === stats.lines) final.unterminatedLast = true;
            annotate(final);
            onRow(final);
        }
    }
    return stats;
}
