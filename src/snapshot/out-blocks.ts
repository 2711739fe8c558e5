/**
 * The output's families and text blocks, kept across cycles so that a block whose HELP/TYPE did not change
 * reuses its header bytes, and a histogram family keeps its groups. Each cycle activates the blocks it serves,
 * in the order their first sample appears in the body; the first sample also decides the block's TYPE and
 * HELP, and a later sample that would give it another TYPE is left out (type_conflict).
 */
import { escapeHelpText } from '../exposition/index.js';
import type { MetricType } from '../exposition/index.js';
import type { RouteTarget } from './routes.js';
import { HistogramGroup } from './series-cache.js';

export class OutFamily {
  cycle = -1;
  served = 0;
  readonly groups = new Map<string, HistogramGroup>();

  constructor(readonly name: string) {}

  group(key: string): HistogramGroup {
    let g = this.groups.get(key);
    if (g === undefined) {
      g = new HistogramGroup();
      this.groups.set(key, g);
    }
    return g;
  }
}

export class OutBlock {
  cycle = -1;
  /** This cycle's position among the active blocks, and its served series. */
  index = 0;
  served = 0;
  type: MetricType = 'untyped';
  family!: OutFamily;
  header: Buffer = Buffer.alloc(0);
  private headerOf = '';

  constructor(readonly name: string) {}

  /** `# HELP`/`# TYPE` lines; rebuilt only when the help or type changed. */
  setHeader(help: string, type: MetricType): void {
    const of = `${type}\u0000${help}`;
    if (of === this.headerOf) return;
    this.headerOf = of;
    this.header = Buffer.from(`# HELP ${this.name} ${escapeHelpText(help)}\n# TYPE ${this.name} ${type}\n`, 'utf8');
  }
}

export class OutBlocks {
  private readonly blocks = new Map<string, OutBlock>();
  private readonly families = new Map<string, OutFamily>();
  /** The blocks of the current cycle, in order of first appearance. */
  readonly active: OutBlock[] = [];

  constructor(private readonly helpSuffix: string) {}

  beginCycle(): void {
    this.active.length = 0;
  }

  family(name: string): OutFamily {
    let f = this.families.get(name);
    if (f === undefined) {
      f = new OutFamily(name);
      this.families.set(name, f);
    }
    return f;
  }

  /** The block `route` serves into, activated for this cycle; undefined when it has another TYPE this cycle. */
  take(route: RouteTarget, cycle: number): OutBlock | undefined {
    let block = this.blocks.get(route.block);
    if (block === undefined) {
      block = new OutBlock(route.block);
      this.blocks.set(route.block, block);
    }
    if (block.cycle === cycle) return block.type === route.blockType ? block : undefined;
    block.cycle = cycle;
    block.type = route.blockType;
    block.served = 0;
    block.index = this.active.push(block) - 1;
    block.family = this.family(route.family);
    if (block.family.cycle !== cycle) {
      block.family.cycle = cycle;
      block.family.served = 0;
    }
    const help = route.help !== undefined && route.help !== '' ? route.help : `Baseten metric ${route.family}.`;
    block.setHeader(`${help} ${this.helpSuffix}`, route.blockType);
    return block;
  }

  /** Forgets blocks, families and histogram groups the cycle did not use. */
  sweep(cycle: number): void {
    for (const [name, block] of this.blocks) if (block.cycle !== cycle) this.blocks.delete(name);
    // A group an entry still points at stays, with its family, so that the entry and a new series of the same
    // group never check two different group objects.
    for (const [name, family] of this.families) {
      // forEach: a histogram family holds a group per label set, and an iterator makes an array per group.
      family.groups.forEach((g, key) => {
        if (g.seen !== cycle) family.groups.delete(key);
      });
      if (family.cycle !== cycle && family.groups.size === 0) this.families.delete(name);
    }
  }
}
