/** What every suite is given. */
export interface SuiteContext {
  quick: boolean;
  /** The ui suite's A/B: another build of the renderer to measure beside this one (--ui-baseline). */
  uiBaseline?: string | null;
  /** A progress line on stderr (stdout is kept for the table or the JSON). */
  progress: (message: string) => void;
}
