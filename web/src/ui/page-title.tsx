import { createEffect, onMount } from "solid-js";
import { t } from "../i18n";

let firstPage = true;

/**
 * The page's heading, which also names the browser tab. After a move within the app, focus goes
 * to it, so a screen reader announces the new page (the first page loads as any page does).
 */
export function PageTitle(props: { id: string; children: string }) {
  let ref!: HTMLHeadingElement;
  createEffect(() => {
    document.title = `${props.children} · ${t("app.name")}`;
  });
  onMount(() => {
    if (firstPage) firstPage = false;
    else ref.focus();
  });
  return (
    <h1 id={props.id} ref={ref} tabindex="-1">
      {props.children}
    </h1>
  );
}
