/** One lint finding, located in its file. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  /** Errors stop `db push` (unless --no-lint); warnings are reported. */
  severity: 'error' | 'warning';
  message: string;
  source: 'wabase' | 'squawk';
}
