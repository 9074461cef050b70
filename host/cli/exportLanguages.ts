/** Kept apart from exporters.ts so the command line can be parsed without loading the exporters. */
export type ExportLanguage = "ts" | "python";
export const EXPORT_LANGUAGES: readonly ExportLanguage[] = ["ts", "python"];
