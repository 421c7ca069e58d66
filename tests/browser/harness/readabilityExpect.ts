import type { Page } from "playwright-core";
import { lowContrast, textContrasts } from "./readability";

/**
 * Every view's contrast check: text at 4.5:1 and dimmed text at 3:1 against what is painted under
 * it, before and after a click on the first row (which dims the others). At least `minTexts` texts
 * must be measured, so an empty view cannot pass.
 */
export async function expectContrastPlainAndSelected(page: Page, firstRow: string, minTexts: number): Promise<void> {
    const plain = await textContrasts(page);
    expect(plain.length).toBeGreaterThan(minTexts);
    expect(lowContrast(plain)).toEqual([]);
    await page.locator(firstRow).first().click();
    const selected = await textContrasts(page);
    expect(selected.some((one) => one.dimmed)).toBe(true);
    expect(lowContrast(selected)).toEqual([]);
}
