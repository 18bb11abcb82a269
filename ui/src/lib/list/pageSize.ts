/** Rows per page on every list page; the API takes 1–500 (Paging.cs). */
export const PAGE_SIZE = 25;
