/** What every view needs from its surroundings, so views stay free of Power BI services. */

export interface TextMeasurer {
    /** The text's width at a size and, for text drawn bold, the weight it is drawn at ("600"). */
    width(text: string, fontSize: number, fontWeight?: string): number;
    /** The text shortened with an ellipsis to fit maxWidth (the text itself when it fits), at its weight. */
    fit(text: string, fontSize: number, maxWidth: number, fontWeight?: string): string;
}

export interface Palette {
    isHighContrast: boolean;
    foreground: string;
    background: string;
    foregroundSelected: string;
}

/** What a user did to an item; the host turns these into selection and tooltip calls. */
export interface ItemEvents<T> {
    select(item: T, multiSelect: boolean): void;
    clear(): void;
    contextMenu(item: T | null, x: number, y: number): void;
    showTooltip(item: T, x: number, y: number): void;
    hideTooltip(): void;
}

export interface Viewport {
    width: number;
    height: number;
}
