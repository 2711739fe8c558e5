/**
 * The metadata of one body (HELP, TYPE, UNIT lines) and the input family each sample name belongs to.
 *
 * As Prometheus reads text, metadata is per name and may come anywhere: before, between or after the
 * samples, and more than once. The first line of each kind for a name wins (later ones are ignored, never an
 * error), and a sample's family is decided with the whole body's metadata in hand, so a late TYPE still
 * applies: a sample belongs to the family of its own name when that name has metadata, else to the family
 * its suffix belongs to (`x_bucket` of a histogram `x`; exposition/family-names.ts), else to an untyped family
 * of its own.
 */
import { KNOWN_SUFFIXES, ownedSuffixes } from '../exposition/index.js';
import type { ExpositionFormat, MetricType } from '../exposition/index.js';

export interface InputFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
}

interface Declared {
  type?: MetricType;
  help?: string;
}

export class BodyMetadata {
  private readonly declared = new Map<string, Declared>();
  /** Every metadata line, as read: equal signatures mean equal families for every sample name. */
  private signatureParts: string[] = [];

  constructor(private readonly format: ExpositionFormat) {}

  get signature(): string {
    return this.signatureParts.join('\n');
  }

  declareType(name: string, type: MetricType): void {
    this.signatureParts.push(`T ${name} ${type}`);
    const d = this.entry(name);
    d.type ??= type;
  }

  declareHelp(name: string, help: string): void {
    this.signatureParts.push(`H ${name} ${help}`);
    const d = this.entry(name);
    d.help ??= help;
  }

  /** Units only name a declared family; text output has no UNIT line. */
  declareUnit(name: string): void {
    this.signatureParts.push(`U ${name}`);
    this.entry(name);
  }

  /** The family a sample of this name belongs to, in this body. */
  familyOf(sampleName: string): InputFamily {
    const own = this.declared.get(sampleName);
    if (own !== undefined) return this.family(sampleName, own);
    for (const suffix of KNOWN_SUFFIXES) {
      if (sampleName.length <= suffix.length || !sampleName.endsWith(suffix)) continue;
      const parentName = sampleName.slice(0, -suffix.length);
      const parent = this.declared.get(parentName);
      if (parent?.type !== undefined && ownedSuffixes(parent.type, this.format).includes(suffix))
        return this.family(parentName, parent);
      break;
    }
    return { name: sampleName, type: this.implicitType(), help: undefined };
  }

  private family(name: string, d: Declared): InputFamily {
    return { name, type: d.type ?? this.implicitType(), help: d.help };
  }

  private implicitType(): MetricType {
    return this.format === 'openmetrics' ? 'unknown' : 'untyped';
  }

  private entry(name: string): Declared {
    let d = this.declared.get(name);
    if (d === undefined) {
      d = {};
      this.declared.set(name, d);
    }
    return d;
  }
}
