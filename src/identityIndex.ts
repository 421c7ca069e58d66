import powerbi from "powerbi-visuals-api";
import ISelectionId = powerbi.visuals.ISelectionId;

/**
 * Selection identities by item key, each made when first asked for: a full update of 30,000
 * agencies or goals makes none, a click makes one. Iterating (to restore a bookmark) makes all.
 * The items are listed only when first needed too: most updates never look one up.
 */
export class IdentityIndex<Item extends { key: string; row: number }> {
    private readonly made = new Map<string, ISelectionId>();
    private listed: Map<string, Item> | null = null;

    constructor(
        private readonly listItems: () => Iterable<Item>,
        private readonly create: (item: Item) => ISelectionId | null,
    ) {}

    private get items(): Map<string, Item> {
        if (!this.listed) {
            this.listed = new Map();
            for (const item of this.listItems()) this.listed.set(item.key, item);
        }
        return this.listed;
    }

    has(key: string): boolean {
        return this.items.has(key);
    }

    get(key: string): ISelectionId | undefined {
        let identity = this.made.get(key);
        if (identity) return identity;
        const item = this.items.get(key);
        identity = item ? (this.create(item) ?? undefined) : undefined;
        if (identity) this.made.set(key, identity);
        return identity;
    }

    *entries(): IterableIterator<[string, ISelectionId]> {
        for (const key of this.items.keys()) {
            const identity = this.get(key);
            if (identity) yield [key, identity];
        }
    }
}
