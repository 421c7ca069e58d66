import { decideMoreData } from "../../src/data/dataLimits";

describe("more data than one window", () => {
    it("asks for the next segment while under the cap", () => {
        expect(decideMoreData(true, 30000, 100000)).toBe("fetch");
    });
    it("warns that the data was cut once the cap is reached", () => {
        expect(decideMoreData(true, 100000, 100000)).toBe("warn");
    });
    it("does nothing when Power BI sent everything", () => {
        expect(decideMoreData(false, 100000, 100000)).toBe("complete");
        expect(decideMoreData(false, 10, 100000)).toBe("complete");
    });
});
