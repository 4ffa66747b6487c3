import { createEffect, createUniqueId, type JSX } from "solid-js";
import { t } from "../i18n";

/**
 * A modal question on the native <dialog>: it traps focus, closes on Escape and gives focus
 * back to the button that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children?: JSX.Element;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  let ref!: HTMLDialogElement;
  const id = createUniqueId();
  createEffect(() => {
    if (props.open && !ref.open) ref.showModal();
    if (!props.open && ref.open) ref.close();
  });
  return (
    // Escape fires `cancel` at once and `close` a task later, maybe after the next key press has
    // opened the dialog again: `cancel` updates the state, and a late `close` of an open dialog is ignored.
    <dialog ref={ref} aria-labelledby={id} onCancel={() => props.onClose()} onClose={() => !ref.open && props.onClose()} class="dialog">
      <h2 id={id}>{props.title}</h2>
      {props.children}
      <div class="row">
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          {t("action.back")}
        </button>
        <button type="button" class="primary" onClick={() => props.onConfirm()} autofocus>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
