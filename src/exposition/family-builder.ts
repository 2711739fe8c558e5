/**
 * Groups metadata and samples into families while the parser walks the body.
 *
 * Like expfmt/text_parse.go (the parser behind `promtool check metrics`), families are looked up by
 * name across the whole body, so a family whose samples are interrupted by another is merged into its
 * first appearance and never emitted twice; a second TYPE or HELP for a family, or a TYPE after its
 * samples, is rejected. A sample goes to the family of its exact name if one exists, else to the
 * family its suffix belongs to (family-names.ts), else to a new untyped (text) / unknown (OpenMetrics)
 * family named after it. Families that end with no samples are dropped, as expfmt does.
 */
import { KNOWN_SUFFIXES, ownedSuffixes } from './family-names.js';
import { quoteFragment } from './invalid-line.js';
import type { ExpositionFormat, MetricFamily, MetricType, Sample } from './model.js';

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

  /** Records a TYPE line; returns the reason when it conflicts with what came before. */
  declareType(name: string, type: MetricType): string | undefined {
    const existing = this.byName.get(name);
    if (existing?.typeDeclared) return `second TYPE line for ${quoteFragment(name)}`;
    if (existing !== undefined && existing.family.samples.length > 0) {
      return `TYPE line for ${quoteFragment(name)} after its samples`;
    }
    const entry = existing ?? this.create(name);
    entry.family.type = type;
    entry.typeDeclared = true;
    return undefined;
  }

  /** Records a HELP line; returns the reason when the family already has one. */
  declareHelp(name: string, help: string): string | undefined {
    const entry = this.byName.get(name) ?? this.create(name);
    if (entry.helpSeen) return `second HELP line for ${quoteFragment(name)}`;
    entry.helpSeen = true;
    entry.family.help = help;
    return undefined;
  }

  /** Records an OpenMetrics UNIT line; returns the reason when the family already has one. */
  declareUnit(name: string, unit: string): string | undefined {
    const entry = this.byName.get(name) ?? this.create(name);
    if (entry.unitSeen) return `second UNIT line for ${quoteFragment(name)}`;
    entry.unitSeen = true;
    if (unit !== '') entry.family.unit = unit;
    return undefined;
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
