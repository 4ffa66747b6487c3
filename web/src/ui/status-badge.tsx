import type { Status } from "../data/types";
import { t, type Key } from "../i18n";

export function StatusBadge(props: { status: Status }) {
  return <span class={`badge s-${props.status}`}>{t(`status.${props.status}` as Key)}</span>;
}
