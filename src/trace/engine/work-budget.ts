// Work budget and TOO_COMPLEX: see docs/engine.md.
import { traceMaxStepsSetting } from '../../config';

/**
 * Counting simple paths through a cycle is exponential in the cycle's size (a #P-hard problem in general); real
 * subcontracting and supply cycles are small. When one is not, the engine stops and says so rather than hold the
 * process: it never answers with an inexact count.
 */
export class TraceTooComplexError extends Error {
  /**
   * @param depth refused for the length of a walk (MAX_WALK_DEPTH), not for the steps spent: more budget would not
   *   help.
   * @param component refused at the entry of a component whose size and branching bound the work above the budget
   *   (components.ts, ComponentShape.walkBound).
   */
  constructor(readonly steps: number, readonly depth = false, readonly component?: { size: number; bound: number }) {
    super(component
      ? `tracing enters a strongly connected part of the subcontracting, dispatch or supply graph with ${component.size} `
        + `nodes, whose simple paths could take up to ${component.bound.toPrecision(3)} steps to count, more than the budget of `
        + `${steps}: exact counting through it is refused at its entry; split it in the data or raise LABORTRACE_TRACE_MAX_STEPS`
      : depth
      ? `tracing follows a walk of more than ${MAX_WALK_DEPTH} hops: the subcontracting, dispatch or supply graph has a `
        + 'strongly connected part that large, and exact counting of simple paths through it is refused; split it in the data'
      : `tracing needs more than ${steps} steps: the subcontracting, dispatch or supply graph has a large cycle, and exact `
        + 'counting of simple paths through it is exponential; split the cycle in the data or raise LABORTRACE_TRACE_MAX_STEPS');
  }
}

/**
 * The most hops a walk may have on the way (one simple path being counted, numbered or marked: each hop is a few
 * nested calls). Longer walks exist only inside strongly connected parts of thousands of nodes, where exact counting
 * is hopeless anyway; refusing them like a budget overrun comes well before the call stack would overflow (a
 * 4,000-company supply ring overflowed it). Real supply paths have tens of hops.
 */
export const MAX_WALK_DEPTH = 1_000;

/** The default work budget of one request (LABORTRACE_TRACE_MAX_STEPS, validated at start-up by loadConfig). */
export const DEFAULT_MAX_STEPS = 5_000_000;

/**
 * The work one request may do: chain, agency and company computations that miss the memo. One budget is made per
 * request and every engine call of that request draws on it (a screen of every product, an impact's two engines,
 * the paths and subgraphs a query asks for afterwards), so no request can get round it by asking for many items.
 */
export class WorkBudget {
  private used = 0;
  private depth = 0;

  /**
   * `maxSteps` for everything drawing on this budget; `itemSteps` for each item counted through forItem() (API-CORE:
   * an item whose counting exceeds it is TOO_COMPLEX, and the other items of the request are not affected).
   */
  constructor(
    readonly maxSteps: number = traceMaxStepsSetting(),
    readonly itemSteps: number = maxSteps,
    private readonly parent?: WorkBudget,
  ) {}

  get steps(): number {
    return this.used;
  }

  /** The steps left before this budget or the one it draws on runs out. */
  get remaining(): number {
    const own = this.maxSteps - this.used;
    return this.parent ? Math.min(own, this.parent.remaining) : own;
  }

  tick(): void {
    if (++this.used > this.maxSteps) throw new TraceTooComplexError(this.maxSteps);
    this.parent?.tick();
  }

  /** One hop deeper on a walk (walks.ts, within); past MAX_WALK_DEPTH a TraceTooComplexError. */
  enter(): void {
    if (this.depth >= MAX_WALK_DEPTH) throw new TraceTooComplexError(this.maxSteps, true);
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** This budget's own steps back to none (an item budget reused for the next item); the parent keeps its count. */
  restart(): void {
    this.used = 0;
    this.depth = 0;
  }

  /** The budget of counting one item: `itemSteps` of its own, each step drawn on this budget too. */
  forItem(): WorkBudget {
    return new WorkBudget(this.itemSteps, this.itemSteps, this);
  }
}
