import type { JSX } from "solid-js";
import { formatNumber } from "../i18n";
import { tFigures } from "../i18n/figures";

/** This month in China time, where the figures are counted, whatever the phone's own zone. */
export const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/** The month a dashboard shows; no later than this month. */
export function MonthField(props: { id: string; value: string; onChange: (month: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{tFigures("figures.month")}</label>
      <input
        id={props.id}
        type="month"
        value={props.value}
        max={thisMonth()}
        onChange={(e) => e.currentTarget.value && props.onChange(e.currentTarget.value)}
      />
    </div>
  );
}

/** The seed's headline figures: activities, person-times, residents served and hours. */
export function Headline(props: {
  figures: { activities: number; personTimes: number; residentsServed: number; hours: number };
  label?: string;
}) {
  return (
    <dl class="figures" aria-label={props.label}>
      <div>
        <dt>{tFigures("figures.activities")}</dt>
        <dd>{formatNumber(props.figures.activities)}</dd>
      </div>
      <div>
        <dt>{tFigures("figures.personTimes")}</dt>
        <dd>{formatNumber(props.figures.personTimes)}</dd>
      </div>
      <div>
        <dt>{tFigures("figures.residents")}</dt>
        <dd>{formatNumber(props.figures.residentsServed)}</dd>
      </div>
      <div>
        <dt>{tFigures("figures.hours")}</dt>
        <dd>{formatNumber(props.figures.hours, { maximumFractionDigits: 1 })}</dd>
      </div>
    </dl>
  );
}

/** How many wishes came in, were approved, done and not approved; `children` add rows. */
export function WishCounts(props: {
  wishes: { submitted: number; approved: number; closed: number; rejected: number };
  children?: JSX.Element;
}) {
  return (
    <dl class="details">
      <dt>{tFigures("figures.submitted")}</dt>
      <dd>{formatNumber(props.wishes.submitted)}</dd>
      <dt>{tFigures("figures.approved")}</dt>
      <dd>{formatNumber(props.wishes.approved)}</dd>
      <dt>{tFigures("figures.closed")}</dt>
      <dd>{formatNumber(props.wishes.closed)}</dd>
      <dt>{tFigures("figures.rejected")}</dt>
      <dd>{formatNumber(props.wishes.rejected)}</dd>
      {props.children}
    </dl>
  );
}
