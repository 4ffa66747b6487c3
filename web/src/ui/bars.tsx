import { For } from "solid-js";

/**
 * A bar chart as a list: each row says its label and value in words (so a screen reader reads
 * the figures), and the bar shows the proportion. Light enough for a cheap phone; no chart library.
 */
export default function Bars(props: { label: string; rows: { label: string; value: number; text: string }[] }) {
  const max = () => Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <ul class="bars" aria-label={props.label}>
      <For each={props.rows}>
        {(row) => (
          <li>
            <div class="bar-label">{row.label}</div>
            <div class="bar-track" aria-hidden="true">
              <div class="chart-bar" style={{ width: `${row.value > 0 ? Math.max(2, (row.value / max()) * 100) : 0}%` }} />
            </div>
            <div class="bar-value">{row.text}</div>
          </li>
        )}
      </For>
    </ul>
  );
}
