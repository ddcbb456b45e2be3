/** The order side of the store (filled in by the order push work). */
export interface OrderStore {}
