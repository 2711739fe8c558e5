/**
 * Where a relabeled sample is served: its output family (named after the family it came from, or after its
 * new name when relabeling renamed it alone) and the text 0.0.4 block that family is written as.
 *
 * A sample keeps its family when relabeling left its name alone or renamed the family as a whole (`x_bucket`
 * → `y_bucket` with `x` → `y`); otherwise it becomes an untyped family of its own name. Types text 0.0.4
 * lacks are written as exposition/family-names.ts's textBlocks writes them: an OpenMetrics counter's `x_created` as a
 * gauge block after it, and unknown, info, stateset and gaugehistogram samples as untyped blocks per name.
 */
import { openMetricsFamilyName, ownedSuffixes } from '../exposition/index.js';
import type { MetricType } from '../exposition/index.js';
import type { InputFamily } from './metadata.js';

export interface RouteTarget {
  family: string;
  familyType: MetricType;
  block: string;
  blockType: MetricType;
  /** The input family's HELP, if it had one. */
  help: string | undefined;
  /** A histogram's samples are checked whole (resolve.ts). */
  histogram: boolean;
  /** This sample is one of that histogram's `_bucket` series. */
  bucket: boolean;
}

/** The suffix by which a sample belongs to its family (`_bucket` of a histogram), or ''. */
function suffixOf(family: InputFamily, sampleName: string): string {
  if (!sampleName.startsWith(family.name)) return '';
  const rest = sampleName.slice(family.name.length);
  return ownedSuffixes(family.type, 'openmetrics').includes(rest) ? rest : '';
}

export function routeSample(input: InputFamily, sampleName: string, outName: string): RouteTarget {
  const suffix = suffixOf(input, sampleName);
  const sameShape = outName === sampleName || (suffix !== '' && outName.endsWith(suffix));
  const family = sameShape ? outName.slice(0, outName.length - suffix.length) : outName;
  const familyType: MetricType = sameShape ? input.type : 'untyped';
  const [block, blockType] = textBlock(family, familyType, outName);
  const histogram = familyType === 'histogram' || familyType === 'gaugehistogram';
  return {
    family,
    familyType,
    block,
    blockType,
    help: input.help,
    histogram,
    bucket: histogram && outName === `${family}_bucket`,
  };
}

/** The text block (name and TYPE) a sample named `sampleName` of family `family` is written in. */
function textBlock(family: string, type: MetricType, sampleName: string): [string, MetricType] {
  switch (type) {
    case 'counter': {
      const base = openMetricsFamilyName({ name: family, type, samples: [] });
      if (sampleName === `${base}_created` && family !== sampleName) return [sampleName, 'gauge'];
      return [!family.endsWith('_total') && sampleName === `${family}_total` ? sampleName : family, 'counter'];
    }
    case 'gauge':
    case 'histogram':
    case 'summary':
    case 'untyped':
      return [family, type];
    case 'unknown':
    case 'info':
    case 'stateset':
    case 'gaugehistogram':
      return [sampleName, 'untyped'];
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}
