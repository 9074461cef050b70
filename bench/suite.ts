/** What every suite is given. */
export interface SuiteContext {
  quick: boolean;
  /** A progress line on stderr (stdout is kept for the table or the JSON). */
  progress: (message: string) => void;
}
