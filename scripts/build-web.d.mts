/** Builds `<root>/web` into `<root>/web/dist` with brotli and gzip copies; keeps NODE_ENV as it was. */
export function buildWeb(root: string): Promise<void>;
