/** The link every list uses to open an item's page (#/items/<id>, app.tsx). */
export const itemHref = (id: string) => `#/items/${encodeURIComponent(id)}`;
