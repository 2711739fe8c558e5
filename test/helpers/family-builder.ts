/**
 * Groups metadata and samples into families while the parser walks the body.
 *
 * Families are looked up by name across the whole body, so a family whose samples are interrupted by
 * another is merged into its first appearance and never emitted twice. Metadata follows what Prometheus
 * stores: its scrape parser (model/textparse/promparse.go) reads a repeated TYPE or HELP, or one after the
 * family's samples, as valid lines, so the bridge never refuses them either; one HELP and one TYPE per
 * family are served, the first seen. A TYPE that comes after the family's first sample is ignored, since
 * those samples were already read as untyped (and a histogram's `_bucket` lines routed as their own names).
 * A sample goes to the family of its exact name if one exists, else to the family its suffix belongs to
 * (src/exposition/family-names.ts), else to a new untyped (text) / unknown (OpenMetrics) family named after
 * it. Families that end with no samples are dropped, as expfmt does.
 */
import { KNOWN_SUFFIXES, ownedSuffixes } from '../../src/exposition/family-names.js';
import type { ExpositionFormat, MetricFamily, MetricType, Sample } from '../../src/exposition/model.js';

interface FamilyEntry {
  family: MetricFamily;
  typeDeclared: boolean;
  helpSeen: boolean;
  unitSeen: boolean;
}

export class FamilyBuilder {
  private readonly byName = new Map<string, FamilyEntry>();
  private readonly entries: FamilyEntry[] = [];
  private readonly implicitType: MetricType;
  // Consecutive samples mostly share a name (a histogram's buckets): skip the lookup for them.
  private lastSampleName: string | undefined;
  private lastEntry: FamilyEntry | undefined;

  constructor(private readonly format: ExpositionFormat) {
    this.implicitType = format === 'openmetrics' ? 'unknown' : 'untyped';
  }

  /** Records a TYPE line, unless the family already has a type (the first TYPE wins) or samples. */
  declareType(name: string, type: MetricType): void {
    const existing = this.byName.get(name);
    if (existing !== undefined && (existing.typeDeclared || existing.family.samples.length > 0)) return;
    const entry = existing ?? this.create(name);
    entry.family.type = type;
    entry.typeDeclared = true;
  }

  /** Records a HELP line, unless the family already has one (the first HELP wins). */
  declareHelp(name: string, help: string): void {
    const entry = this.byName.get(name) ?? this.create(name);
    if (entry.helpSeen) return;
    entry.helpSeen = true;
    entry.family.help = help;
  }

  /** Records an OpenMetrics UNIT line, unless the family already has one (the first UNIT wins). */
  declareUnit(name: string, unit: string): void {
    const entry = this.byName.get(name) ?? this.create(name);
    if (entry.unitSeen) return;
    entry.unitSeen = true;
    if (unit !== '') entry.family.unit = unit;
  }

  addSample(sample: Sample): void {
    let entry = this.lastEntry;
    if (sample.name !== this.lastSampleName || entry === undefined) {
      entry = this.route(sample.name);
      this.lastSampleName = sample.name;
      this.lastEntry = entry;
    }
    entry.family.samples.push(sample);
  }

  /** The families in order of first appearance, without those that have no samples. */
  finish(): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const entry of this.entries) if (entry.family.samples.length > 0) families.push(entry.family);
    return families;
  }

  private route(sampleName: string): FamilyEntry {
    const exact = this.byName.get(sampleName);
    if (exact !== undefined) return exact;
    for (const suffix of KNOWN_SUFFIXES) {
      if (sampleName.length <= suffix.length || !sampleName.endsWith(suffix)) continue;
      const parent = this.byName.get(sampleName.slice(0, -suffix.length));
      if (parent !== undefined && ownedSuffixes(parent.family.type, this.format).includes(suffix)) return parent;
      break;
    }
    return this.create(sampleName);
  }

  private create(name: string): FamilyEntry {
    const entry: FamilyEntry = {
      family: { name, type: this.implicitType, samples: [] },
      typeDeclared: false,
      helpSeen: false,
      unitSeen: false,
    };
    this.byName.set(name, entry);
    this.entries.push(entry);
    // A new family can change where a name routes (its exact family now exists): forget the shortcut.
    this.lastSampleName = undefined;
    return entry;
  }
}
