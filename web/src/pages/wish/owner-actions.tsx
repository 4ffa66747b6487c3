import { createSignal, For, Show } from "solid-js";
import { ownerMayCancelFrom } from "../../../../functions/core/model";
import { post } from "../../data/api";
import type { WishView } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { t } from "../../i18n";
import { Busy, createAction, Outcome } from "../../ui/action";
import { Field } from "../../ui/field";

/** Stars 1–5 as a radio group: one tab stop, arrows move, each star says its number. */
export function Stars(props: { value: number; onValue: (n: number) => void; legend: string }) {
  return (
    <fieldset class="stars">
      <legend>{props.legend}</legend>
      <For each={[1, 2, 3, 4, 5]}>
        {(n) => (
          <label classList={{ on: n <= props.value }}>
            <input type="radio" name="rating" value={n} checked={props.value === n} onChange={() => props.onValue(n)} />
            <span aria-hidden="true">★</span>
            <span class="sr-only">{t("wish.stars", { n })}</span>
          </label>
        )}
      </For>
    </fieldset>
  );
}

/** The resident on their own wish: confirm and rate, or say it is not done; cancel before work starts. */
export function OwnerActions(props: { wish: WishView; onChange: (w: WishView) => void }) {
  const [rating, setRating] = createSignal(5);
  const [comment, setComment] = createSignal("");
  const [disputeReason, setDisputeReason] = createSignal("");
  const [cancelReason, setCancelReason] = createSignal("");
  const [cancelling, setCancelling] = createSignal(false);
  const [disputing, setDisputing] = createSignal(false);
  const confirm = createAction();
  const dispute = createAction();
  const cancel = createAction();
  const id = () => props.wish.id;

  const doConfirm = async (e: Event) => {
    e.preventDefault();
    const w = await confirm.run(
      () => post<WishView>(`/api/wishes/${id()}/confirm`, { rating: rating(), comment: comment().trim() || undefined }),
      t("owner.confirmed"),
    );
    if (w) props.onChange(w);
  };
  const doDispute = async (e: Event) => {
    e.preventDefault();
    const w = await dispute.run(
      () => post<WishView>(`/api/wishes/${id()}/dispute`, { reason: disputeReason().trim() }),
      t("owner.disputed"),
    );
    if (w) props.onChange(w);
  };
  const doCancel = async (e: Event) => {
    e.preventDefault();
    const w = await cancel.run(
      () => post<WishView>(`/api/wishes/${id()}/cancel`, { reason: cancelReason().trim() || t("owner.cancelDefault") }),
      t("owner.cancelled"),
    );
    if (w) props.onChange(w);
  };

  return (
    <div class="actions">
      <Outcome action={confirm} />
      <Outcome action={dispute} />
      <Outcome action={cancel} />
      <Show when={props.wish.status === "completed"}>
        <form onSubmit={doConfirm} class="panel" aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t("owner.confirmTitle")}</h2>
          <Show when={props.wish.completionNote}>
            <p>{t("owner.note", { note: props.wish.completionNote! })}</p>
          </Show>
          <Stars value={rating()} onValue={setRating} legend={t("owner.rating")} />
          <Field
            label={t("owner.comment")}
            multiline
            maxLength={1000}
            value={comment()}
            onValue={setComment}
            problem={fieldProblem(confirm.error(), "comment")}
          />
          <button type="submit" class="primary wide" disabled={confirm.busy()} aria-busy={confirm.busy()}>
            <Busy when={confirm.busy()} working={t("working")} idle={t("owner.confirm")} />
          </button>
        </form>
        <Show
          when={disputing()}
          fallback={
            <button type="button" class="secondary wide" onClick={() => setDisputing(true)}>
              {t("owner.notDone")}
            </button>
          }
        >
          <form onSubmit={doDispute} class="panel">
            <Field
              label={t("owner.disputeReason")}
              multiline
              required
              maxLength={500}
              value={disputeReason()}
              onValue={setDisputeReason}
              problem={fieldProblem(dispute.error(), "reason")}
            />
            <button type="submit" class="danger wide" disabled={dispute.busy() || !disputeReason().trim()} aria-busy={dispute.busy()}>
              <Busy when={dispute.busy()} working={t("working")} idle={t("owner.dispute")} />
            </button>
          </form>
        </Show>
      </Show>
      <Show when={ownerMayCancelFrom.includes(props.wish.status)}>
        <Show
          when={cancelling()}
          fallback={
            <button type="button" class="secondary wide" onClick={() => setCancelling(true)}>
              {t("owner.cancel")}
            </button>
          }
        >
          <form onSubmit={doCancel} class="panel">
            <Field
              label={t("owner.cancelReason")}
              multiline
              maxLength={500}
              value={cancelReason()}
              onValue={setCancelReason}
              problem={fieldProblem(cancel.error(), "reason")}
            />
            <button type="submit" class="danger wide" disabled={cancel.busy()} aria-busy={cancel.busy()}>
              <Busy when={cancel.busy()} working={t("working")} idle={t("owner.cancelConfirm")} />
            </button>
          </form>
        </Show>
      </Show>
    </div>
  );
}
