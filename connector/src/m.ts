/**
 * Power Query (M) generation: one partition expression per table, reading the state's source
 * (CSV files, SQL Server or PostgreSQL), applying the mapping's renames, checking required
 * columns with a readable error, and typing every column. Plus the model's parameters.
 */
import { ColumnDef, ColumnKind, TableDef, DEFAULT_FISCAL_YEAR_START_MONTH, sourceTables } from "./schema";
import { MODEL_PARAMETERS } from "./schemaFollowUps";
import { Mapping, tableMapping } from "./mapping";
import { canonicalHeaders, trimmedColumns } from "./reading";
import { NumberFormat, numberFormat } from "./validate/values";

export type SourceKind = "csv" | "sqlserver" | "postgres";
export type SourceConfig =
    /** `validated`: the folder is a `validate --out` folder (canonical files), read with a strict, simple M. */
    | { kind: "csv"; folder: string; validated?: boolean }
    | { kind: "sqlserver"; server: string; database: string }
    | { kind: "postgres"; server: string; database: string };

export interface ParameterDef {
    name: string;
    /** DateTime values are ISO dates, "2025-06-01" (RangeStart and RangeEnd). */
    type: "Text" | "Number" | "DateTime";
    value: string | number;
    description: string;
}

const M_TYPES: Record<ColumnKind, string> = {
    text: "type text",
    int: "Int64.Type",
    number: "type number",
    currency: "Currency.Type",
    date: "type date",
    boolean: "type logical",
};

/** An M text literal: quotes doubled, control characters and "#(" escaped. */
export function mText(value: string): string {
    const escaped = value
        .replace(/#\(/g, "#(#)(")
        .replace(/"/g, '""')
        .replace(/\r/g, "#(cr)")
        .replace(/\n/g, "#(lf)")
        .replace(/\t/g, "#(tab)");
    return `"${escaped}"`;
}

function mList(items: string[]): string {
    return `{${items.join(", ")}}`;
}

/** The range parameters of incremental refresh: Power BI sets them per partition; Desktop loads only this range. */
export interface RangeParameters {
    rangeStart: string;
    rangeEnd: string;
}

export function parameters(
    source: SourceConfig,
    fiscalYearStartMonth = DEFAULT_FISCAL_YEAR_START_MONTH,
    range: RangeParameters | null = null,
): ParameterDef[] {
    const list: ParameterDef[] = [];
    if (source.kind === "csv") {
        list.push({
            name: "SourceFolder",
            type: "Text",
            value: source.folder,
            description: "Folder holding the billing CSV exports.",
        });
    } else {
        const engine = source.kind === "sqlserver" ? "SQL Server" : "PostgreSQL";
        list.push({
            name: "Server",
            type: "Text",
            value: source.server,
            description: `${engine} server holding the billing tables.`,
        });
        list.push({
            name: "Database",
            type: "Text",
            value: source.database,
            description: `${engine} database holding the billing tables.`,
        });
    }
    list.push({
        name: "FiscalYearStartMonth",
        type: "Number",
        value: fiscalYearStartMonth,
        description: "Month the state fiscal year starts (7 = July).",
    });
    if (range) {
        // Names fixed by Power BI: incremental refresh replaces them with each partition's range.
        list.push({
            name: "RangeStart",
            type: "DateTime",
            value: range.rangeStart,
            description:
                "Incremental refresh: start of the charge periods to load (inclusive). Power BI sets it per partition; in Desktop it limits what loads.",
        });
        list.push({
            name: "RangeEnd",
            type: "DateTime",
            value: range.rangeEnd,
            description:
                "Incremental refresh: end of the charge periods to load (exclusive). Power BI sets it per partition; in Desktop it limits what loads.",
        });
    }
    for (const p of MODEL_PARAMETERS)
        list.push({ name: p.parameter, type: "Number", value: p.value, description: p.description });
    return list;
}

/** The parameter's M expression, with the metadata Power BI uses to show it as a parameter. */
export function parameterExpression(parameter: ParameterDef): string {
    let value = typeof parameter.value === "number" ? String(parameter.value) : mText(parameter.value);
    if (parameter.type === "DateTime") {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(parameter.value));
        if (!m) throw new Error(`${parameter.name}: expected a date yyyy-MM-dd, got ${parameter.value}`);
        value = `#datetime(${Number(m[1])}, ${Number(m[2])}, ${Number(m[3])}, 0, 0, 0)`;
    }
    return `${value} meta [IsParameterQuery = true, Type = ${mText(parameter.type)}, IsParameterQueryRequired = true]`;
}

function sourceSteps(table: TableDef, source: SourceConfig, mapping: Mapping): string[] {
    const name = table.source as string;
    const tm = tableMapping(mapping, name);
    if (source.kind === "csv") {
        const options = `[Delimiter = ${mText(mapping.delimiter)}, Encoding = ${mapping.encoding}, QuoteStyle = QuoteStyle.Csv]`;
        const folder = 'Text.TrimEnd(SourceFolder, {"\\", "/"})';
        const file = tm.folder ? null : (tm.file ?? `${name}.csv`);
        if (source.validated) {
            // A validate --out folder: UTF-8, comma, canonical headers, no blank lines; nothing to tidy.
            return [
                `Source = Csv.Document(File.Contents(${folder} & ${mText(`\\${name}.csv`)}), [Delimiter = ",", Encoding = 65001, QuoteStyle = QuoteStyle.Csv])`,
                "Raw = Table.PromoteHeaders(Source, [PromoteAllScalars = true])",
            ];
        }
        // As the validator reads each file (src/reading.ts): lines of empty fields skipped, headers
        // matched ignoring case and surrounding spaces (after the mapping's renames) and renamed.
        const headers = [...canonicalHeaders(table, mapping)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const steps = [
            `Canonical = [${headers.map(([theirs, ours]) => `#${mText(theirs)} = ${mText(ours)}`).join(", ")}]`,
            `ReadFile = (content as binary) as table => let Lines = Csv.Document(content, ${options}), NonBlank = Table.SelectRows(Lines, each not List.MatchesAll(Record.FieldValues(_), each _ = null or Text.Trim(_) = "")), Promoted = Table.PromoteHeaders(NonBlank, [PromoteAllScalars = true]) in Table.TransformColumnNames(Promoted, each Record.FieldOrDefault(Canonical, Text.Lower(Text.Trim(_)), _))`,
        ];
        if (tm.folder) {
            return [
                ...steps,
                `Files = Folder.Files(${folder} & ${mText("\\" + tm.folder)})`,
                'CsvFiles = Table.SelectRows(Files, each Text.Lower([Extension]) = ".csv")',
                'SortedFiles = Table.Sort(CsvFiles, {{"Name", Order.Ascending}})',
                "Raw = Table.Combine(List.Transform(SortedFiles[Content], ReadFile))",
            ];
        }
        return [...steps, `Raw = ReadFile(File.Contents(${folder} & ${mText("\\" + file)}))`];
    }
    return databaseSteps(name, source, mapping);
}

/**
 * An M function reading a number as the validator does (src/validate/values.ts): trimmed,
 * accounting negatives in parentheses, currency symbols, the mapping's grouping and decimal
 * separators, a minus sign written U+2212; then the plain number read with the invariant culture.
 */
export function readNumberFunction(format: NumberFormat): string {
    const steps = ["Trimmed = Text.Trim(raw)"];
    let last = "Trimmed";
    if (format.accountingNegatives) {
        steps.push(`Negative = Text.StartsWith(${last}, "(") and Text.EndsWith(${last}, ")")`);
        steps.push(
            `Inner = if Negative then Text.Trim(Text.Middle(${last}, 1, Text.Length(${last}) - 2)) else ${last}`,
        );
        last = "Inner";
    }
    if (format.currencySymbols.length > 0) {
        steps.push(
            `NoSymbols = Text.Trim(List.Accumulate(${mList(format.currencySymbols.map(mText))}, ${last}, (text, symbol) => Text.Replace(text, symbol, "")))`,
        );
        last = "NoSymbols";
    }
    if (format.thousandsSeparator !== "") {
        steps.push(`NoGroups = Text.Replace(${last}, ${mText(format.thousandsSeparator)}, "")`);
        last = "NoGroups";
    }
    if (format.decimalSeparator !== ".") {
        steps.push(`Point = Text.Replace(${last}, ${mText(format.decimalSeparator)}, ".")`);
        last = "Point";
    }
    steps.push(`Value = Number.FromText(Text.Replace(${last}, "\u2212", "-"), "en-US")`);
    const result = format.accountingNegatives ? "if Negative then -Value else Value" : "Value";
    return `(raw as text) as number => let ${steps.join(", ")} in ${result}`;
}

/** Connection and navigation to a database table: the steps Power Query folds into SQL. */
function databaseSteps(name: string, source: SourceConfig, mapping: Mapping): string[] {
    const tm = tableMapping(mapping, name);
    const schema = tm.schema ?? (source.kind === "sqlserver" ? "dbo" : "public");
    const item = tm.table ?? name;
    const connect =
        source.kind === "sqlserver" ? "Sql.Database(Server, Database)" : "PostgreSQL.Database(Server, Database)";
    return [`Source = ${connect}`, `Raw = Source{[Schema = ${mText(schema)}, Item = ${mText(item)}]}[Data]`];
}

/** The source table's own name for one of the schema's input columns (after the mapping's renames). */
export function theirColumn(mapping: Mapping, table: string, column: string): string {
    const renamed = Object.entries(tableMapping(mapping, table).columns ?? {}).find(([, ours]) => ours === column);
    return renamed ? renamed[0] : column;
}

export interface PartitionOptions {
    /**
     * Incremental refresh: keep the rows whose `column` (an input column, a date) is in
     * [RangeStart, RangeEnd). The filter is the step right after navigation, on the source's own
     * column name, so Power Query folds it into the SQL WHERE clause.
     */
    rangeFilter?: string;
    /** DirectQuery or dual: no step that cannot fold (the required-column check runs in `validate`). */
    foldOnly?: boolean;
}

/** The partition expression of an input table. */
export function tablePartition(
    table: TableDef,
    source: SourceConfig,
    mapping: Mapping,
    options: PartitionOptions = {},
): string {
    if (table.source === null) throw new Error(`${table.name} is generated, not read from the source`);
    if (source.kind === "csv" && (options.rangeFilter || options.foldOnly))
        throw new Error("Incremental refresh and DirectQuery need a database source");
    const tm = tableMapping(mapping, table.source);
    const steps = sourceSteps(table, source, mapping);
    const csv = source.kind === "csv";
    // A validated folder is read with the defaults: its files are canonical whatever the mapping said.
    const reading = csv && source.validated ? null : mapping;
    let last = "Raw";
    if (options.rangeFilter) {
        const column = `[${mIdentifier(theirColumn(mapping, table.source, options.rangeFilter))}]`;
        steps.push(
            `InRange = Table.SelectRows(Raw, each ${column} >= Date.From(RangeStart) and ${column} < Date.From(RangeEnd))`,
        );
        last = "InRange";
    }
    // CSV headers were renamed while reading each file; databases are renamed here, names matched exactly.
    const renames = csv ? [] : Object.entries(tm.columns ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (renames.length > 0) {
        steps.push(
            `Renamed = Table.RenameColumns(${last}, ${mList(renames.map(([theirs, ours]) => `{${mText(theirs)}, ${mText(ours)}}`))}, MissingField.Ignore)`,
        );
        last = "Renamed";
    }
    const all = table.columns.map((c) => c.source);
    if (!options.foldOnly) {
        const required = table.columns.filter((c) => !c.optional).map((c) => mText(c.source));
        steps.push(`Missing = List.Difference(${mList(required)}, Table.ColumnNames(${last}))`);
        steps.push(
            `Checked = if List.IsEmpty(Missing) then ${last} else error Error.Record("Missing columns", ${mText(`The ${table.source} table lacks required columns (add them to the mapping file): `)} & Text.Combine(Missing, ", "))`,
        );
        last = "Checked";
    }
    steps.push(`Selected = Table.SelectColumns(${last}, ${mList(all.map(mText))}, MissingField.UseNull)`);
    last = "Selected";
    const dateFormat = reading?.dateFormat ?? "yyyy-MM-dd";
    const culture = reading?.culture ?? "en-US";
    if (csv) {
        // CSV has no nulls: empty cells (and cells of only spaces) become null, so optional values and numbers load as blanks.
        if (reading) {
            steps.push(
                `Blanks = Table.TransformColumns(Selected, List.Transform(${mList(all.map(mText))}, (name) => {name, each if _ = null or Text.Trim(_) = "" then null else _}))`,
            );
            const trimmed = [...trimmedColumns(table)];
            steps.push(
                `Keys = Table.TransformColumns(Blanks, ${mList(trimmed.map((c) => `{${mText(c)}, Text.Trim, type text}`))})`,
            );
            last = "Keys";
            const numbers = table.columns.filter(
                (c) => c.kind === "number" || c.kind === "currency" || c.kind === "int",
            );
            if (numbers.length > 0) {
                steps.push(`ReadNumber = ${readNumberFunction(numberFormat(reading))}`);
                steps.push(
                    `Numbers = Table.TransformColumns(${last}, ${mList(numbers.map((c) => `{${mText(c.source)}, each if _ = null then null else ReadNumber(_), type number}`))})`,
                );
                last = "Numbers";
            }
        } else {
            steps.push(
                `Blanks = Table.ReplaceValue(Selected, "", null, Replacer.ReplaceValue, ${mList(all.map(mText))})`,
            );
            last = "Blanks";
        }
        const dates = table.columns.filter((c) => c.kind === "date");
        const dateOptions = `[Format = ${mText(dateFormat)}, Culture = ${mText(culture)}]`;
        if (dates.length > 0) {
            const transforms = dates.map(
                (c) =>
                    `{${mText(c.source)}, each if _ = null then null else Date.FromText(${reading ? "Text.Trim(_)" : "_"}, ${dateOptions}), type date}`,
            );
            steps.push(`Dates = Table.TransformColumns(${last}, ${mList(transforms)})`);
            last = "Dates";
        }
    }
    if (!csv && !options.foldOnly) {
        // Imported database tables: keys trimmed as the CSV reading trims them (the PostgreSQL
        // validator matches keys ignoring surrounding spaces). DirectQuery sends the column as it is.
        const trimmed = [...trimmedColumns(table)];
        steps.push(
            `Keys = Table.TransformColumns(${last}, ${mList(trimmed.map((c) => `{${mText(c)}, Text.Trim, type text}`))})`,
        );
        last = "Keys";
    }
    const typed = table.columns.filter((c) => !csv || c.kind !== "date");
    steps.push(
        `Typed = Table.TransformColumnTypes(${last}, ${mList(typed.map((c: ColumnDef) => `{${mText(c.source)}, ${M_TYPES[c.kind]}}`))}, ${mText(csv ? "en-US" : mapping.culture)})`,
    );
    return letIn(steps, "Typed");
}

/**
 * The date columns the Date table spans: every date column of every input table (charges,
 * headcount months, goal start and due dates, measurements, responses, follow-ups, check-ins),
 * read from the schema, so a table or date column added there is covered too.
 */
export function calendarColumns(): { table: TableDef; column: ColumnDef }[] {
    return sourceTables().flatMap((table) =>
        table.columns.filter((c) => c.kind === "date").map((column) => ({ table, column })),
    );
}

/**
 * The Date table: whole fiscal years from the earliest to the latest date of any input table
 * (calendarColumns), so no measurement, response or due date falls outside it; today when there
 * is no date at all. FiscalYearStartMonth is a model parameter.
 */
export function datePartition(
    culture = "en-US",
    database: { source: SourceConfig; mapping: Mapping } | null = null,
): string {
    const columns = calendarColumns();
    // CSV: each table's query, whose date columns are already dates. A database: MIN and MAX of each
    // table's own date columns, one grouping per table that folds to one SQL query (never the
    // queries themselves, which incremental refresh limits to RangeStart..RangeEnd and DirectQuery
    // never loads).
    let bounds = [
        `CalendarDates = List.RemoveNulls(List.Combine(${mList(columns.map(({ table, column }) => `Table.Column(${mIdentifier(table.name)}, ${mText(column.source)})`))}))`,
        "Today = Date.From(DateTime.LocalNow())",
        "Earliest = if List.IsEmpty(CalendarDates) then Today else List.Min(CalendarDates)",
        "Latest = if List.IsEmpty(CalendarDates) then Today else List.Max(CalendarDates)",
    ];
    if (database && database.source.kind !== "csv") {
        const { source, mapping } = database;
        const tables = sourceTables().filter((t) => columns.some((c) => c.table === t));
        const groupings = tables.map((table, index) => {
            const dates = columns.filter((c) => c.table === table);
            const aggregates = dates.flatMap(({ column }) => {
                const ref = `[${mIdentifier(theirColumn(mapping, table.source as string, column.source))}]`;
                return [
                    `{${mText(`${column.source} Min`)}, each List.Min(${ref}), type any}`,
                    `{${mText(`${column.source} Max`)}, each List.Max(${ref}), type any}`,
                ];
            });
            const steps = databaseSteps(table.source as string, source, mapping).join(", ");
            return `Bounds${index} = let ${steps} in Table.Group(Raw, {}, ${mList(aggregates)}){0}`;
        });
        const ends = (suffix: string): string =>
            mList(
                tables.flatMap((table, index) =>
                    columns
                        .filter((c) => c.table === table)
                        .map(({ column }) => `Bounds${index}[${mIdentifier(`${column.source} ${suffix}`)}]`),
                ),
            );
        bounds = [
            ...groupings,
            `Mins = List.Transform(List.RemoveNulls(${ends("Min")}), Date.From)`,
            `Maxes = List.Transform(List.RemoveNulls(${ends("Max")}), Date.From)`,
            "Today = Date.From(DateTime.LocalNow())",
            "Earliest = if List.IsEmpty(Mins) then Today else List.Min(Mins)",
            "Latest = if List.IsEmpty(Maxes) then Today else List.Max(Maxes)",
        ];
    }
    return letIn(
        [
            "FirstMonth = FiscalYearStartMonth",
            ...bounds,
            "StartYear = if Date.Month(Earliest) >= FirstMonth then Date.Year(Earliest) else Date.Year(Earliest) - 1",
            "EndYear = if Date.Month(Latest) >= FirstMonth then Date.Year(Latest) + 1 else Date.Year(Latest)",
            "StartDate = #date(StartYear, FirstMonth, 1)",
            "EndDate = Date.AddDays(#date(EndYear, FirstMonth, 1), -1)",
            "Days = List.Dates(StartDate, Duration.Days(EndDate - StartDate) + 1, #duration(1, 0, 0, 0))",
            "Base = Table.FromList(Days, Splitter.SplitByNothing(), type table [Date = date])",
            'WithMonth = Table.AddColumn(Base, "Month", each Date.StartOfMonth([Date]), type date)',
            'WithYear = Table.AddColumn(WithMonth, "Year", each Date.Year([Date]), Int64.Type)',
            'WithMonthNumber = Table.AddColumn(WithYear, "Month Number", each Date.Month([Date]), Int64.Type)',
            `WithMonthName = Table.AddColumn(WithMonthNumber, "Month Name", each Date.ToText([Date], [Format = "MMM", Culture = ${mText(culture)}]), type text)`,
            // Named by the calendar year the fiscal year ends in; with a January start, the calendar year.
            'WithFiscalYearNumber = Table.AddColumn(WithMonthName, "Fiscal Year Number", each if FirstMonth = 1 or Date.Month([Date]) < FirstMonth then Date.Year([Date]) else Date.Year([Date]) + 1, Int64.Type)',
            'WithFiscalYear = Table.AddColumn(WithFiscalYearNumber, "Fiscal Year", each "FY" & Text.From([Fiscal Year Number]), type text)',
            'WithFiscalMonth = Table.AddColumn(WithFiscalYear, "Fiscal Month Number", each Number.Mod(Date.Month([Date]) - FirstMonth + 12, 12) + 1, Int64.Type)',
        ],
        "WithFiscalMonth",
    );
}

/**
 * A statewide aggregate: the input tables read exactly as their own partitions read them (the
 * same source, mapping and types, but never limited to an incremental-refresh range), then
 * grouped by the aggregate's columns. Agency and service ids are matched as Power BI matches keys,
 * ignoring case and surrounding spaces. Nothing of it is per agency but the count of agencies.
 */
export function aggregatePartition(table: TableDef, source: SourceConfig, mapping: Mapping): string {
    const aggregate = table.aggregate;
    if (!aggregate) throw new Error(`${table.name} is not a statewide aggregate`);
    const input = (name: string): string => {
        const def = sourceTables().find((t) => t.source === name) as TableDef;
        // Database sources: no required-column step, which would keep the grouping from folding into SQL.
        return tablePartition(def, source, mapping, { foldOnly: source.kind !== "csv" })
            .split("\n")
            .join("\n    ");
    };
    const groupBy = mList(aggregate.groupBy.map(mText));
    const steps = ["Key = (value) => if value = null then null else Text.Upper(Text.Trim(Text.From(value)))"];
    const headcount = [
        `Headcount = ${input("headcount")}`,
        'HeadcountKeyed = Table.AddColumn(Table.AddColumn(Headcount, "AgencyKey", each Key([SubAccountId]), type text), "Month", each Date.StartOfMonth([x_Month]), type date)',
        // Each agency's headcount taken once a month: the larger of two rows, as the model's measures take it.
        'AgencyMonths = Table.Group(HeadcountKeyed, {"AgencyKey", "Month"}, {{"Users", each List.Max([x_Users]), Int64.Type}})',
    ];
    const serviceModels = [
        `Services = ${input("services")}`,
        'ServiceModels = Table.Group(Table.AddColumn(Services, "ServiceKey", each Key([ServiceName]), type text), {"ServiceKey"}, {{"ServiceModel", each List.First([x_ServiceModel]), type text}})',
    ];
    // The charges with each one's agency key, month and service model: what Statewide Cost and Statewide Agency Months group.
    const chargesWithModel = [
        'ChargesKeyed = Table.AddColumn(Table.AddColumn(Table.AddColumn(Charges, "AgencyKey", each Key([SubAccountId]), type text), "ServiceKey", each Key([ServiceName]), type text), "Month", each Date.StartOfMonth([ChargePeriodStart]), type date)',
        'WithModel = Table.ExpandTableColumn(Table.NestedJoin(ChargesKeyed, {"ServiceKey"}, ServiceModels, {"ServiceKey"}, "Service", JoinKind.LeftOuter), "Service", {"ServiceModel"})',
    ];
    if (aggregate.of === "headcount") {
        steps.push(
            ...headcount,
            `Grouped = Table.Group(AgencyMonths, ${groupBy}, {{"UserMonths", each List.Sum([Users]), Int64.Type}, {"Agencies", each List.Count(List.Select([Users], each _ <> null and _ > 0)), Int64.Type}})`,
        );
    } else if (aggregate.of === "cost") {
        steps.push(
            ...headcount,
            "WithUsers = Table.SelectRows(AgencyMonths, each [Users] <> null and [Users] > 0)",
            ...serviceModels,
            `Charges = ${input("charges")}`,
            ...chargesWithModel,
            'Flagged = Table.AddColumn(Table.NestedJoin(WithModel, {"AgencyKey", "Month"}, WithUsers, {"AgencyKey", "Month"}, "Users", JoinKind.LeftOuter), "HasHeadcount", each not Table.IsEmpty([Users]), type logical)',
            `Grouped = Table.Group(Flagged, ${groupBy}, {{"BilledCost", each List.Sum([BilledCost]), Currency.Type}, {"EffectiveCost", each List.Sum([EffectiveCost]), Currency.Type}, {"Agencies", each List.Count(List.Distinct([AgencyKey])), Int64.Type}})`,
        );
    } else if (aggregate.of === "agencyMonths") {
        steps.push(
            ...serviceModels,
            `Charges = ${input("charges")}`,
            ...chargesWithModel,
            // Each agency a surrogate number, so a distinct count across months and service models is
            // exact (monthly counts cannot be summed: an agency billed in two months would count twice).
            // The numbers follow a random order buffered once per refresh, not the ids' order, so
            // they cannot be matched to agencies by sorting the ids; the table holds no cost.
            'AgencyOrder = Table.Buffer(Table.Sort(Table.AddColumn(Table.FromList(List.Distinct(WithModel[AgencyKey]), Splitter.SplitByNothing(), type table [AgencyKey = nullable text]), "Order", each Number.Random(), type number), {"Order"}))',
            'AgencyNumbers = Table.AddIndexColumn(Table.RemoveColumns(AgencyOrder, {"Order"}), "AgencyNumber", 1, 1, Int64.Type)',
            'Numbered = Table.ExpandTableColumn(Table.NestedJoin(WithModel, {"AgencyKey"}, AgencyNumbers, {"AgencyKey"}, "Number", JoinKind.LeftOuter), "Number", {"AgencyNumber"})',
            `Grouped = Table.Group(Numbered, ${groupBy}, {})`,
        );
    } else {
        steps.push(
            ...serviceModels,
            `Responses = ${input("survey_responses")}`,
            'ResponsesKeyed = Table.AddColumn(Table.AddColumn(Table.AddColumn(Table.AddColumn(Responses, "AgencyKey", each Key([SubAccountId]), type text), "ServiceKey", each Key([ServiceName]), type text), "Month", each Date.StartOfMonth([x_ResponseDate]), type date), "Rating", each [x_Rating], Int64.Type)',
            'WithModel = Table.ExpandTableColumn(Table.NestedJoin(ResponsesKeyed, {"ServiceKey"}, ServiceModels, {"ServiceKey"}, "Service", JoinKind.LeftOuter), "Service", {"ServiceModel"})',
            `Grouped = Table.Group(WithModel, ${groupBy}, {{"Responses", each Table.RowCount(_), Int64.Type}, {"Agencies", each List.Count(List.Distinct([AgencyKey])), Int64.Type}})`,
        );
    }
    return letIn(steps, "Grouped");
}

/** The Model Parameters table: one row holding each model parameter, so measures can read it. */
export function modelParametersPartition(): string {
    const type = MODEL_PARAMETERS.map((p) => `${mIdentifier(p.column)} = Int64.Type`).join(", ");
    const row = MODEL_PARAMETERS.map((p) => p.parameter).join(", ");
    return letIn([`Source = #table(type table [${type}], {{${row}}})`], "Source");
}

/** A generated table of one whole-number column (the Ratings dimension). */
export function constantPartition(table: TableDef): string {
    const column = table.columns[0];
    const rows = (table.constantRows ?? []).map((value) => `{${value}}`).join(", ");
    return letIn([`Rows = #table(type table [${mIdentifier(column.source)} = Int64.Type], {${rows}})`], "Rows");
}

/** A field name in M's [ ] access: plain when it is a simple identifier, else #"quoted". */
export function mIdentifier(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `#${mText(name)}`;
}

function letIn(steps: string[], result: string): string {
    return ["let", steps.map((step) => `    ${step}`).join(",\n"), "in", `    ${result}`].join("\n");
}
