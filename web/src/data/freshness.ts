import { onCleanup } from "solid-js";

/**
 * Calls `refresh` when the person comes back to the app (the tab or the phone's screen shows it
 * again) or the network returns: what they see then is as it is now, not as they left it.
 */
export function refreshOnReturn(refresh: () => unknown) {
  const visible = () => document.visibilityState === "visible" && refresh();
  document.addEventListener("visibilitychange", visible);
  addEventListener("online", refresh);
  onCleanup(() => {
    document.removeEventListener("visibilitychange", visible);
    removeEventListener("online", refresh);
  });
}
