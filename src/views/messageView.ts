import { select, Selection } from "d3-selection";

export interface Message {
    title: string;
    lines: string[];
}

/** The landing page and "bind these fields" messages: plain text, never markup. */
export class MessageView {
    private readonly root: Selection<HTMLDivElement, unknown, null, undefined>;

    constructor(parent: HTMLElement) {
        this.root = select(parent).append("div").attr("class", "ais-message").attr("role", "status");
    }

    render(message: Message | null): void {
        this.root.classed("ais-hidden", !message);
        if (!message) return;
        this.root
            .selectAll<HTMLHeadingElement, string>("h2")
            .data([message.title])
            .join("h2")
            .text((text) => text);
        this.root
            .selectAll<HTMLParagraphElement, string>("p")
            .data(message.lines)
            .join("p")
            .text((text) => text);
    }
}
