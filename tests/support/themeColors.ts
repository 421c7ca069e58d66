/**
 * Power BI's default theme's first ten colors, in the order its palette hands them out. The
 * browser harness page keeps its own copy, since it is injected as one module that may import
 * types only.
 */
export const DEFAULT_THEME_COLORS: readonly string[] = [
    "#118DFF",
    "#12239E",
    "#E66C37",
    "#6B007B",
    "#E044A7",
    "#744EC2",
    "#D9B300",
    "#D64550",
    "#197278",
    "#1AAB40",
];
