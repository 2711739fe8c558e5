/**
 * The body of the simulated `/metrics`: a pure function of a fleet and an instant. Values are those of
 * the last 30-second refresh before `atMs` (Baseten refreshes its data every 30 s), so fetches within
 * one refresh period get byte-identical bodies. No sample timestamps, as Prometheus's exporter
 * guidelines advise and as nothing in Baseten's documentation suggests otherwise.
 */
import { ExpositionWriter } from './exposition-writer.js';
import type { Fleet } from './fleet.js';
import { renderAsyncFamilies } from './render-async-families.js';
import { renderDeploymentFamilies } from './render-deployment-families.js';
import { renderEngineFamilies } from './render-engine-families.js';
import { renderLlmFamilies } from './render-llm-families.js';
import { renderRequestFamilies } from './render-request-families.js';
import { refreshInstant } from './signals.js';

export interface RenderedMetrics {
  text: string;
  /** Number of samples (series) in `text`. */
  series: number;
}

/** Renders the exposition and counts its series. */
export function renderBasetenExposition(fleet: Fleet, atMs: number): RenderedMetrics {
  const writer = new ExpositionWriter();
  const instant = refreshInstant(atMs);
  // Families in BASETEN.md's table order, the engines' last; each renderer writes whole families, so families
  // stay contiguous.
  renderRequestFamilies(writer, fleet, instant);
  renderDeploymentFamilies(writer, fleet, instant);
  renderAsyncFamilies(writer, fleet, instant);
  renderLlmFamilies(writer, fleet, instant);
  renderEngineFamilies(writer, fleet, instant);
  return { text: writer.text(), series: writer.seriesCount };
}

/** The Prometheus text (0.0.4) body Baseten's endpoint would serve at `atMs`. */
export function renderBasetenMetrics(fleet: Fleet, atMs: number): string {
  return renderBasetenExposition(fleet, atMs).text;
}
