import * as fs from "fs";
import * as path from "path";
import powerbi from "powerbi-visuals-api";
import { formattingSettings } from "powerbi-visuals-utils-formattingmodel";
import { VisualSettings } from "../../src/settings";
import { TestSelectionId } from "../support/host";

interface PropertyDef {
    displayNameKey: string;
    type: Record<string, unknown> & { enumeration?: unknown[]; formatting?: Record<string, boolean> };
}
interface ObjectDef {
    displayNameKey: string;
    properties: Record<string, PropertyDef>;
}
const objects: Record<string, ObjectDef> = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, "../../capabilities.json"), "utf8"),
).objects;

/** Objects Power BI fills itself, not the Format pane: general.formatString holds the dynamic format strings it sends per value. */
const hostObjects = ["general"];

/** The Format pane as Power BI sees it, with one service so the per-service color slice exists. */
function formatPane(): VisualSettings {
    const settings = new VisualSettings();
    settings.setServiceColorSlices(
        [{ name: "SaaS", color: "#123456", seriesIndex: 0 }],
        () => new TestSelectionId("SaaS") as unknown as powerbi.visuals.ISelectionId,
    );
    return settings;
}
/** Every slice of a card, its top-level switch and those of its groups included. */
const slicesOf = (card: formattingSettings.Cards): formattingSettings.SimpleSlice[] =>
    [
        card.topLevelSlice,
        ...(card instanceof formattingSettings.CompositeCard
            ? card.groups.flatMap((group) => group.slices ?? [])
            : (card.slices ?? [])),
    ].filter((slice): slice is formattingSettings.SimpleSlice => slice instanceof formattingSettings.SimpleSlice);

/** The capabilities.json property type each kind of Format pane slice saves its value as. */
function typeOf(slice: formattingSettings.SimpleSlice): string {
    if (slice instanceof formattingSettings.ToggleSwitch) return "bool";
    if (slice instanceof formattingSettings.ColorPicker) return "fill";
    if (slice instanceof formattingSettings.ItemDropdown) return "enumeration";
    if (slice instanceof formattingSettings.AutoDropdown) return "formatting.labelDisplayUnits";
    if (slice instanceof formattingSettings.NumUpDown)
        return slice.name === "fontSize" ? "formatting.fontSize" : "numeric";
    return slice.constructor.name;
}
function propertyType(property: PropertyDef): string {
    const [kind] = Object.keys(property.type);
    return kind === "formatting" ? `formatting.${Object.keys(property.type.formatting!)[0]}` : kind;
}

describe("Format pane and capabilities.json", () => {
    it("has a card for every object and an object for every card, with the same display name key", () => {
        const cards = formatPane().cards;
        expect(cards.map((c) => c.name).sort()).toEqual(
            Object.keys(objects)
                .filter((name) => !hostObjects.includes(name))
                .sort(),
        );
        for (const card of cards)
            expect([card.name, card.displayNameKey]).toEqual([card.name, objects[card.name].displayNameKey]);
    });

    it("has a slice for every property of its object and a property for every slice, of the type the slice saves", () => {
        for (const card of formatPane().cards) {
            const properties = objects[card.name].properties;
            const slices = slicesOf(card);
            expect([card.name, [...new Set(slices.map((s) => s.name))].sort()]).toEqual([
                card.name,
                Object.keys(properties).sort(),
            ]);
            for (const slice of slices) {
                const property = properties[slice.name];
                expect([card.name, slice.name, typeOf(slice)]).toEqual([card.name, slice.name, propertyType(property)]);
                // Per-service colors are named by the service itself, not by a string resource.
                if (card.name !== "serviceColors")
                    expect([card.name, slice.name, slice.displayNameKey]).toEqual([
                        card.name,
                        slice.name,
                        property.displayNameKey,
                    ]);
            }
        }
    });

    it("offers in each dropdown exactly its property's items, in order, the first as the default", () => {
        let dropdowns = 0;
        for (const card of formatPane().cards) {
            for (const slice of slicesOf(card)) {
                if (!(slice instanceof formattingSettings.ItemDropdown)) continue;
                const items = objects[card.name].properties[slice.name].type.enumeration;
                expect([card.name, slice.name, slice.items]).toEqual([card.name, slice.name, items]);
                expect(slice.value).toEqual(items![0]);
                dropdowns++;
            }
        }
        expect(dropdowns).toBe(6);
    });
});
