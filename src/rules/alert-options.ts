/** The parameters of the shipped alerts (`rules --alerts=…` flags), with the defaults the checked-in files use. */
import { DEFAULT_RUNBOOK_BASE_URL } from './runbook.js';

export interface AlertOptions {
  /** The page whose `### <AlertName>` headings are the runbooks (`--runbook.base-url`). */
  runbookBaseUrl: string;
}

export const DEFAULT_ALERT_OPTIONS: Readonly<AlertOptions> = {
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
};
