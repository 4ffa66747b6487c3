import { createSignal, Show, type JSX } from "solid-js";
import { explain } from "../i18n/explain";

/**
 * One user action: while it runs the button says so and cannot be pressed twice; then the
 * outcome is said in a live region (success politely, a refusal as an alert). Inputs are
 * signals owned by the form, so a failed request leaves what was typed in place.
 */
export function createAction() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [done, setDone] = createSignal<string>();
  async function run<T>(fn: () => Promise<T>, success?: string): Promise<T | undefined> {
    if (busy()) return undefined;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const out = await fn();
      setDone(success);
      return out;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run, clear: () => (setError(undefined), setDone(undefined)) };
}
export type Action = ReturnType<typeof createAction>;

/** The action's outcome; `say` words a refusal the page knows better than `explain` does. */
export function Outcome(props: { action: Action; say?: (err: unknown) => string }) {
  return (
    <>
      <Show when={props.action.error()}>
        {(err) => (
          <p class="notice error" role="alert" ref={(el) => queueMicrotask(() => el.scrollIntoView?.({ block: "nearest" }))}>
            {(props.say ?? explain)(err())}
          </p>
        )}
      </Show>
      <div role="status" aria-live="polite" class="sr-status">
        <Show when={props.action.done()}>{(text) => <p class="notice ok">{text()}</p>}</Show>
      </div>
    </>
  );
}

export function Busy(props: { when: boolean; idle: JSX.Element; working: JSX.Element }) {
  return (
    <Show when={props.when} fallback={props.idle}>
      <span class="spinner" aria-hidden="true" />
      {props.working}
    </Show>
  );
}
