/** @jest-environment node */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { DateParser, DateFormatError, NumberParser, numberFormat } from "../../connector/src/validate/values";
import { invalidUtf8Offsets, readCsv, RowSplitter, SourceRow } from "../../connector/src/validate/source";
import { DEFAULT_MAPPING, parseMapping } from "../../connector/src/mapping";

describe("numbers", () => {
    const en = new NumberParser(numberFormat(DEFAULT_MAPPING));
    const money = new NumberParser(
        numberFormat(parseMapping({ currencySymbols: ["$", "USD"], accountingNegatives: true })),
    );
    const de = new NumberParser(numberFormat(parseMapping({ culture: "de-DE" })));
    const swiss = new NumberParser(numberFormat(parseMapping({ decimalSeparator: ".", thousandsSeparator: "'" })));
    const parse = (parser: NumberParser, raw: string, currency = true): string =>
        parser.decimal(raw, currency) ?? parser.text;

    it.each([
        ["12", "12"],
        ["-12.5", "-12.5"],
        ["1,234.50", "1234.50"],
        ["+7", "7"],
        [".5", "0.5"],
        [" 3.25 ", "3.25"],
        ["1.5e3", "1500"],
        ["2.5E-3", "0.0025"],
        ["12,34.5", "is not"],
        ["1.2.3", "is not"],
        ["abc", "is not"],
        ["--5", "is not"],
        ["-.5", "-0.5"],
        ["5.", "is not"],
        ["-", "is not"],
        ["1-2", "is not"],
        ["0012.50", "0012.50"],
        ["$5", "currency symbol"],
        ["(5)", "accounting negative"],
    ])("en-US %j -> %j", (raw, expected) => {
        expect(parse(en, raw)).toContain(expected);
    });

    it.each([
        ["$1,234.50", "1234.50"],
        ["($1,234.50)", "-1234.50"],
        ["(8.00)", "-8.00"],
        ["-$3", "-3"],
        ["$-3", "-3"],
        ["12 USD", "12"],
        ["(-5)", "is not"],
        ["€5", "does not allow"],
    ])("currency with symbols and accounting negatives %j -> %j", (raw, expected) => {
        expect(parse(money, raw)).toContain(expected);
    });

    it("keeps symbols and parentheses out of plain number columns", () => {
        expect(money.decimal("$5", false)).toContain("only currency columns");
        expect(money.decimal("(5)", false)).toContain("only currency columns");
    });

    it.each([
        ["1.234,50", "1234.50"],
        ["-0,5", "-0.5"],
        ["1234", "1234"],
        ["1234.56", "is not"],
        ["12.5", "is not"],
    ])("de-DE %j -> %j", (raw, expected) => {
        expect(parse(de, raw)).toContain(expected);
    });

    it("reads the mapping's own separators", () => {
        expect(parse(swiss, "1'234.5")).toBe("1234.5");
        expect(swiss.expectation).toBe(
            'a number such as 1\'234.50 or -1\'234.50 (decimal separator ".", thousands separator "\'")',
        );
    });

    it.each([
        ["42", 42],
        ["1,305", 1305],
        ["-3", -3],
    ])("whole %j", (raw, value) => {
        expect(en.whole(raw)).toBeNull();
        expect(en.value).toBe(value);
    });

    it.each(["12.5", "three", "1e3x"])("not whole: %j", (raw) => {
        expect(en.whole(raw)).toBe("is not a whole number such as 1,234");
    });

    it("rejects a mapping whose separators clash", () => {
        expect(() => parseMapping({ decimalSeparator: ",", thousandsSeparator: "," })).toThrow(/must differ/);
        expect(() => parseMapping({ decimalSeparator: ".." })).toThrow(/decimalSeparator/);
        expect(() => parseMapping({ currencySymbols: "$" })).toThrow(/currencySymbols/);
        expect(() => parseMapping({ accountingNegatives: "yes" })).toThrow(/accountingNegatives/);
    });
});

describe("dates", () => {
    const check = (format: string, raw: string, culture = "en-US"): string => {
        const parser = new DateParser(format, culture);
        return parser.parse(raw) ?? parser.text;
    };

    it.each([
        ["yyyy-MM-dd", "2024-07-01", "2024-07-01"],
        ["yyyy-MM-dd", "2024-02-29", "2024-02-29"],
        ["yyyy-MM-dd", "2023-02-29", "is not a real date (2023-02 has 28 days)"],
        ["yyyy-MM-dd", "2024-7-1", "is not a date written yyyy-MM-dd"],
        ["yyyy-MM-dd", " 2024-07-01 ", "2024-07-01"],
        ["MM/dd/yyyy", "07/01/2024", "2024-07-01"],
        ["M/d/yyyy", "7/1/2024", "2024-07-01"],
        ["dd.MM.yyyy", "31.12.2024", "2024-12-31"],
        ["dd-MMM-yyyy", "05-Mar-2024", "2024-03-05"],
        ["d MMMM yyyy", "5 march 2024", "2024-03-05"],
        ["dd/MM/yy", "01/07/24", "2024-07-01"],
        ["M/d/yyyy h:mm:ss tt", "7/1/2024 12:00:00 AM", "2024-07-01"],
        ["yyyy'T'MM", "2024T07", "needs"],
        ["MM/dd/yyyy", "13/01/2024", "has no month 13"],
        ["dd-MMM-yyyy", "05-Foo-2024", "has no month name it knows"],
    ])("%s %j -> %j", (format, raw, expected) => {
        if (expected === "needs") {
            expect(() => new DateParser(format, "en-US")).toThrow(DateFormatError);
            return;
        }
        expect(check(format, raw)).toContain(expected);
    });

    it("knows the culture's month names", () => {
        expect(check("d. MMMM yyyy", "5. März 2024", "de-DE")).toBe("2024-03-05");
    });

    it("refuses formats it cannot read, naming the letter", () => {
        expect(() => new DateParser("yyyy-MM-dd zzz", "en-US")).toThrow(/uses "z"/);
    });
});

describe("reading CSV", () => {
    let dir: string;
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-read-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function rows(
        bytes: Buffer,
        chunkBytes?: number,
    ): Promise<{
        rows: Pick<SourceRow, "fields" | "line" | "lastLine" | "invalidUtf8Lines">[];
        lines: number;
        bom: boolean;
    }> {
        const file = path.join(dir, "t.csv");
        fs.writeFileSync(file, bytes);
        const seen: SourceRow[] = [];
        const stats = await readCsv(file, { delimiter: ",", encoding: 65001, chunkBytes }, (r) => seen.push(r));
        return {
            rows: seen.map(({ fields, line, lastLine, invalidUtf8Lines }) => ({
                fields,
                line,
                lastLine,
                ...(invalidUtf8Lines ? { invalidUtf8Lines } : {}),
            })),
            lines: stats.lines,
            bom: stats.bom,
        };
    }

    const tricky = Buffer.concat([
        Buffer.from('\ufeffa,b\r\n"é,\r\nx",2\r\n\r\n'),
        Buffer.from("ü€😀,"),
        Buffer.from([0xc3]),
        Buffer.from("\n"),
        Buffer.from("last,"),
        Buffer.from([0xe2, 0x82]),
    ]);

    it("gives the same rows and lines whatever the chunk size (multi-byte characters, CRLF and invalid bytes split across chunks)", async () => {
        const whole = await rows(tricky);
        expect(whole.bom).toBe(true);
        expect(whole.lines).toBe(6);
        expect(whole.rows).toEqual([
            { fields: ["a", "b"], line: 1, lastLine: 1 },
            { fields: ["é,\nx", "2"], line: 2, lastLine: 3 },
            { fields: [""], line: 4, lastLine: 4 },
            { fields: ["ü€😀", "\uFFFD"], line: 5, lastLine: 5, invalidUtf8Lines: [5] },
            { fields: ["last", "\uFFFD"], line: 6, lastLine: 6, invalidUtf8Lines: [6] },
        ]);
        for (const size of [1, 2, 3, 5, 7, 11]) expect(await rows(tricky, size)).toEqual(whole);
    });

    /** Rows and their errors as papaparse's own stream reader gives them for the text in these pieces. */
    function papaStream(pieces: string[]): Promise<[string[], string[]][]> {
        const out: [string[], string[]][] = [];
        return new Promise((resolve, reject) => {
            Papa.parse<string[]>(Readable.from(pieces) as unknown as File, {
                delimiter: ",",
                newline: "\n",
                quoteChar: '"',
                step: (r) => {
                    out.push([r.data, r.errors.map((e) => e.code)]);
                },
                complete: () => resolve(out),
                error: reject,
            });
        });
    }

    it("splits rows as papaparse's stream reader does, whatever the pieces, and keeps each plain line's text", async () => {
        const lines = [
            "id,name,amount",
            "1,plain,2.50",
            '2,"quoted, with a comma",3',
            "",
            '3,"two\nlines",4',
            '4,a "quote" inside,5',
            '5,"doubled ""quotes""",6',
            "6,plain again,7",
            '7,"malformed"quote,8',
            "8,after,9",
            '9,"never closed,10',
            "10,last,11",
        ];
        const files = [lines.join("\n"), lines.slice(0, 10).join("\n"), `${lines.slice(0, 8).join("\n")}\n\n`];
        for (const [text, size] of files.flatMap((t) =>
            [1, 2, 3, 5, 8, 13, 21, 64, 1 << 16].map((n) => [t, n] as const),
        )) {
            const pieces: string[] = [];
            for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
            const seen: [string[], string[]][] = [];
            const texts: (string | null)[] = [];
            const splitter = new RowSplitter(",", (fields, errors, line) => {
                seen.push([fields, errors.map((e) => e.code)]);
                texts.push(line);
            });
            for (const piece of pieces) splitter.feed(piece, false);
            splitter.feed("", true);
            expect(seen).toEqual(await papaStream(pieces));
            // A row split without quotes comes with its line, the fields joined as they were read.
            seen.forEach(([fields], i) => {
                if (texts[i] !== null) expect(texts[i]).toBe(fields.join(","));
            });
        }
        // Fed line by line, each line without a quote comes with its text, up to the malformed quote
        // (papaparse reads on from there looking for the closing quote).
        const seen: (string | null)[] = [];
        const splitter = new RowSplitter(",", (_f, _e, line) => seen.push(line));
        for (const line of lines) splitter.feed(`${line}\n`, false);
        splitter.feed("", true);
        expect(seen.filter((t) => t !== null)).toEqual(lines.slice(0, 8).filter((l) => !l.includes('"')));
    });

    it("finds invalid UTF-8: stray continuation bytes, overlongs, surrogates, truncated sequences", () => {
        expect(invalidUtf8Offsets(Buffer.from("ok é € 😀"))).toEqual([]);
        expect(invalidUtf8Offsets(Buffer.from([0x41, 0x80, 0x41]))).toEqual([1]);
        expect(invalidUtf8Offsets(Buffer.from([0xc0, 0xaf]))).toEqual([0, 1]);
        expect(invalidUtf8Offsets(Buffer.from([0xed, 0xa0, 0x80]))).toEqual([0, 1, 2]);
        expect(invalidUtf8Offsets(Buffer.from([0x41, 0xe2, 0x82]))).toEqual([1, 2]);
    });

    it("refuses UTF-16 and binary files with a reason", async () => {
        await expect(rows(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).rejects.toThrow(/UTF-16/);
        await expect(rows(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).rejects.toThrow(/NUL bytes/);
    });
});

describe("date messages suggest the fix", () => {
    it.each([
        ["yyyy-MM-dd", "07/01/2024", "MM/dd/yyyy", "2024-07-01"],
        ["yyyy-MM-dd", "7/1/2024", "M/d/yyyy", "2024-07-01"],
        ["yyyy-MM-dd", "31/07/2024", "dd/MM/yyyy", "2024-07-31"],
        ["yyyy-MM-dd", "31.07.2024", "dd.MM.yyyy", "2024-07-31"],
        ["yyyy-MM-dd", "2024-07-01T08:30:00", "yyyy-MM-dd'T'HH:mm:ss", "2024-07-01"],
        ["yyyy-MM-dd", "2024-07-01 08:30", "yyyy-MM-dd HH:mm", "2024-07-01"],
        ["MM/dd/yyyy", "09/30/2024 00:00:00", "MM/dd/yyyy HH:mm:ss", "2024-09-30"],
        ["MM/dd/yyyy", "13/01/2024", "dd/MM/yyyy", "2024-01-13"],
        ["MM/dd/yyyy", "2024-09-30", "yyyy-MM-dd", "2024-09-30"],
    ])("%s, %j: suggests %j, which reads it as %s", (format, raw, suggested, iso) => {
        const problem = new DateParser(format, "en-US").parse(raw);
        expect(problem).toContain(`set "dateFormat": "${suggested}" in the mapping file`);
        const fixed = new DateParser(suggested, "en-US");
        expect(fixed.parse(raw)).toBeNull();
        expect(fixed.text).toBe(iso);
    });

    it("names Excel serial dates with the day they stand for, and date-times with a zone", () => {
        const iso = new DateParser("yyyy-MM-dd", "en-US");
        expect(iso.parse("45474")).toBe(
            "is not a date written yyyy-MM-dd (it looks like an Excel serial date, day 45474 = 2024-07-01: format the column as a date, yyyy-MM-dd, before exporting)",
        );
        expect(iso.parse("2024-07-01T00:00:00Z")).toBe(
            "is not a date written yyyy-MM-dd (it is a date and time with a time zone: export the date alone, yyyy-MM-dd)",
        );
        expect(iso.parse("July 1")).toBe("is not a date written yyyy-MM-dd");
    });
});
