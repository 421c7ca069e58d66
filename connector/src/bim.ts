/**
 * TMSL writer: the same model as `model.bim` (JSON), for Tabular Editor and XMLA deployment.
 * Expressions are arrays of lines, as Power BI Desktop writes them, so diffs stay readable.
 */
import { SemanticModel } from "./model";
import { parameterExpression } from "./m";
import { COMPATIBILITY_LEVEL } from "./tmdl";

const lines = (text: string): string | string[] => (text.includes("\n") ? text.split("\n") : text);

export function modelToBim(model: SemanticModel): object {
    return {
        name: model.name,
        compatibilityLevel: COMPATIBILITY_LEVEL,
        model: {
            culture: model.culture,
            dataAccessOptions: { legacyRedirects: true, returnErrorValuesAsNull: true },
            defaultPowerBIDataSourceVersion: "powerBI_V3",
            sourceQueryCulture: model.culture,
            tables: model.tables.map((table) => ({
                name: table.name,
                description: table.description,
                ...(table.dataCategory ? { dataCategory: table.dataCategory } : {}),
                ...(table.isHidden ? { isHidden: true } : {}),
                lineageTag: table.lineageTag,
                columns: table.columns.map((column) => ({
                    name: column.name,
                    dataType: column.dataType,
                    sourceColumn: column.sourceColumn,
                    description: column.description,
                    ...(column.isHidden ? { isHidden: true } : {}),
                    ...(column.isKey ? { isKey: true } : {}),
                    ...(column.formatString ? { formatString: column.formatString } : {}),
                    ...(column.sortByColumn ? { sortByColumn: column.sortByColumn } : {}),
                    lineageTag: column.lineageTag,
                    summarizeBy: column.summarizeBy,
                    annotations: [{ name: "SummarizationSetBy", value: "User" }],
                })),
                partitions: [
                    {
                        name: table.partition.name,
                        mode: table.partition.mode,
                        source: { type: "m", expression: lines(table.partition.expression) },
                    },
                ],
                ...(table.refreshPolicy
                    ? {
                          refreshPolicy: {
                              policyType: "basic",
                              rollingWindowGranularity: table.refreshPolicy.rollingWindow.granularity,
                              rollingWindowPeriods: table.refreshPolicy.rollingWindow.periods,
                              incrementalGranularity: table.refreshPolicy.incrementalPeriod.granularity,
                              incrementalPeriods: table.refreshPolicy.incrementalPeriod.periods,
                              sourceExpression: lines(table.refreshPolicy.sourceExpression),
                          },
                      }
                    : {}),
                measures: table.measures.map((measure) => ({
                    name: measure.name,
                    expression: lines(measure.expression),
                    ...(measure.formatString ? { formatString: measure.formatString } : {}),
                    ...(measure.formatStringExpression
                        ? { formatStringDefinition: { expression: measure.formatStringExpression } }
                        : {}),
                    ...(measure.isHidden ? { isHidden: true } : {}),
                    description: measure.description,
                    displayFolder: measure.displayFolder,
                    lineageTag: measure.lineageTag,
                })),
                annotations: [{ name: "PBI_ResultType", value: "Table" }],
            })),
            relationships: model.relationships.map((r) => ({
                name: r.name,
                fromTable: r.fromTable,
                fromColumn: r.fromColumn,
                toTable: r.toTable,
                toColumn: r.toColumn,
                ...(r.toCardinality === "many" ? { toCardinality: "many" } : {}),
            })),
            roles: model.roles.map((role) => ({
                name: role.name,
                description: role.description,
                modelPermission: role.modelPermission,
                tablePermissions: role.tablePermissions.map((p) => ({
                    name: p.table,
                    filterExpression: lines(p.filterExpression),
                })),
            })),
            expressions: model.expressions.map((e) => ({
                name: e.name,
                kind: "m",
                expression: parameterExpression(e),
                description: e.description,
                lineageTag: e.lineageTag,
                annotations: [{ name: "PBI_ResultType", value: e.type }],
            })),
            annotations: [{ name: "__PBI_TimeIntelligenceEnabled", value: "0" }],
        },
    };
}
