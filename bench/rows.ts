/** One line of `npm run bench`: a figure, its budget, and whether the budget holds. */
export interface Row {
  /** what was measured, e.g. "api bundle (min)" */
  name: string;
  /** the figure as printed, e.g. "412.3 KB (1.18 × floor)" */
  figure: string;
  /** the budget as printed, e.g. "≤ 1.5 × floor" */
  budget: string;
  holds: boolean;
}
