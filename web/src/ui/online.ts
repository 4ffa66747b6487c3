import { createRoot, createSignal } from "solid-js";

/** Whether the phone thinks it is online; the shell says so when it is not. */
export const online = createRoot(() => {
  const [on, setOn] = createSignal(navigator.onLine);
  addEventListener("online", () => setOn(true));
  addEventListener("offline", () => setOn(false));
  return on;
});
