/**
 * The parameters of the shipped alerts, which every alert module takes. It imports nothing, so they import it
 * without a cycle; the defaults and the `rules --alerts=…` flags that set them are in alert-flags.ts.
 */
export interface AlertOptions {
  /** The page whose `### <AlertName>` headings are the runbooks (`--runbook.base-url`). */
  runbookBaseUrl: string;
  /** The GPUs' memory in MiB (`--gpu.memory-mib`): Baseten exports the memory used, never the total. */
  gpuMemoryMib: number;
  /** The share of it above which BasetenGpuMemoryNearFull fires (`--gpu.memory-full-ratio`). */
  gpuMemoryFullRatio: number;
  /**
   * The p99 time to first token, in seconds, above which BasetenEngineTimeToFirstTokenHigh fires (`--engine.ttft-p99`).
   */
  engineTtftP99Seconds: number;
  /** The label matchers of the bridge's own series (`--bridge.selector`): its scrape job by default. */
  bridgeSelector: string;
}
