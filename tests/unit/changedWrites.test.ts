import { select } from "d3-selection";
import {
    changedAttr,
    changedClass,
    changedStyle,
    changedText,
    DrawnFrom,
    placeWithin,
} from "../../src/views/changedWrites";

describe("changedText", () => {
    it("writes the new texts and leaves a label whose text is unchanged as it was (its text node kept)", () => {
        const root = document.createElement("div");
        const labels = select(root)
            .selectAll("span")
            .data(["Parks", "Roads"])
            .join("span")
            .call(changedText, (name: string) => name);
        const kept = root.children[0].firstChild;
        labels.data(["Parks", "Transit"]).call(changedText, (name: string) => name);
        expect(Array.from(root.children, (span) => span.textContent)).toEqual(["Parks", "Transit"]);
        expect(root.children[0].firstChild).toBe(kept);
        select(root).selectAll("span").call(changedText, "–");
        expect(Array.from(root.children, (span) => span.textContent)).toEqual(["–", "–"]);
    });

    it("writes changed attributes, removes those given null, and leaves an unchanged one unwritten", async () => {
        const root = document.createElement("div");
        const rows = select(root).selectAll("span").data([10, 20]).join("span");
        rows.call(changedAttr, "data-x", (x: number) => x).call(changedAttr, "data-fill", "red");
        const written: string[] = [];
        new MutationObserver((records) => written.push(...records.map((record) => record.attributeName ?? ""))).observe(
            root,
            { attributes: true, subtree: true },
        );
        rows.call(changedAttr, "data-x", (x: number, index: number) => x + index * 5)
            .call(changedAttr, "data-fill", "red")
            .call(changedAttr, "data-gone", null);
        rows.call(changedAttr, "data-fill", null);
        await Promise.resolve();
        expect(Array.from(root.children, (span) => span.getAttribute("data-x"))).toEqual(["10", "25"]);
        expect(Array.from(root.children, (span) => span.hasAttribute("data-fill"))).toEqual([false, false]);
        // Only the second row's position changed, then both fills went.
        expect(written).toEqual(["data-x", "data-fill", "data-fill"]);
    });
});

describe("changedClass", () => {
    it("adds and removes a class where it changes, and leaves the class attribute of the rest unwritten", async () => {
        const root = document.createElement("div");
        const rows = select(root).selectAll("span").data([true, false, true]).join("span");
        rows.call(changedClass, "ais-dimmed", (dimmed: boolean) => dimmed);
        const written: string[] = [];
        new MutationObserver((records) => written.push(...records.map((record) => record.attributeName ?? ""))).observe(
            root,
            { attributes: true, subtree: true },
        );
        // Only the second row changes: it is dimmed now.
        rows.call(changedClass, "ais-dimmed", true);
        await Promise.resolve();
        expect(Array.from(root.children, (span) => span.classList.contains("ais-dimmed"))).toEqual([true, true, true]);
        expect(written).toEqual(["class"]);
        rows.call(changedClass, "ais-dimmed", (_: boolean, index: number) => index === 0);
        expect(Array.from(root.children, (span) => span.className)).toEqual(["ais-dimmed", "", ""]);
    });
});

describe("changedStyle", () => {
    it("sets a changed inline style, removes one given null, and leaves an unchanged one unwritten", async () => {
        const root = document.createElement("div");
        const rows = select(root).selectAll("span").data([0.4, null]).join("span");
        rows.call(changedStyle, "opacity", (opacity: number | null) => opacity);
        const written: string[] = [];
        new MutationObserver((records) => written.push(...records.map((record) => record.attributeName ?? ""))).observe(
            root,
            { attributes: true, subtree: true },
        );
        // The first row keeps its opacity; the second is dimmed now.
        rows.call(changedStyle, "opacity", 0.4);
        await Promise.resolve();
        expect(Array.from(root.children, (span) => (span as HTMLElement).style.opacity)).toEqual(["0.4", "0.4"]);
        expect(written).toEqual(["style"]);
        rows.call(changedStyle, "opacity", (_: number | null, index: number) => (index === 0 ? null : 0.4));
        expect(Array.from(root.children, (span) => (span as HTMLElement).style.opacity)).toEqual(["", "0.4"]);
        expect(root.children[0].getAttribute("style") ?? "").toBe("");
    });
});

describe("DrawnFrom", () => {
    it("tells a part drawn again from the same datum and inputs, and takes a new datum or key as the latest", () => {
        const drawn = new DrawnFrom();
        const [first, second] = [document.createElement("span"), document.createElement("span")];
        const goal = { name: "Uptime" };
        expect(drawn.same(first, goal, "120|8")).toBe(false);
        expect(drawn.same(first, goal, "120|8")).toBe(true);
        // Another element, another key, or the same key from another datum (a new model's) is drawn.
        expect(drawn.same(second, goal, "120|8")).toBe(false);
        expect(drawn.same(first, goal, "140|8")).toBe(false);
        expect(drawn.same(first, goal, "120|8")).toBe(false);
        expect(drawn.same(first, { name: "Uptime" }, "120|8")).toBe(false);
        expect(drawn.same(first, goal, "120|8")).toBe(false);
        expect(drawn.same(first, goal, "120|8")).toBe(true);
    });
});

describe("placeWithin", () => {
    it("gives a column the same place in its group at any origin, so a resize writes no new value", () => {
        // 123.456789 + 8 - 123.456789 is 8.000000000000014 in floating point.
        const origins = [700.3, 640.1, 123.456789, 0.1];
        expect(origins.map((origin) => String(placeWithin(origin + 8, origin)))).toEqual(["8", "8", "8", "8"]);
        expect(placeWithin(100.25 + 56.5, 100.25)).toBe(56.5);
        expect(placeWithin(90, 100)).toBe(-10);
    });
});
