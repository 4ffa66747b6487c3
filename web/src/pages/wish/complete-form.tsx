import { createSignal } from "solid-js";
import { post } from "../../data/api";
import type { WishView } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { t } from "../../i18n";
import { Busy, type Action } from "../../ui/action";
import { Field } from "../../ui/field";
import { PhotoField } from "../../ui/photo-field";

/** Saying the work is done: a note and photos of it. Loaded once a volunteer has checked in, with the photo picker. */
export default function CompleteForm(props: { wish: WishView; action: Action; onChange: (w: WishView) => void }) {
  const [note, setNote] = createSignal("");
  const [photos, setPhotos] = createSignal<string[]>([]);
  const [uploading, setUploading] = createSignal(false);
  const complete = props.action;
  const finish = async (e: Event) => {
    e.preventDefault();
    if (uploading()) return;
    const body = { note: note().trim(), photos: photos().length ? photos() : undefined };
    const w = await complete.run(() => post<WishView>(`/api/wishes/${props.wish.id}/complete`, body), t("member.completed"));
    if (w) props.onChange(w);
  };
  return (
    <form class="panel" onSubmit={finish}>
      <h2>{t("member.completeTitle")}</h2>
      <Field
        label={t("member.note")}
        multiline
        required
        maxLength={1000}
        value={note()}
        onValue={setNote}
        problem={fieldProblem(complete.error(), "note")}
      />
      <PhotoField purpose="completion" max={9 - props.wish.completionPhotos.length} onKeys={setPhotos} onBusy={setUploading} />
      <button type="submit" class="primary wide" disabled={complete.busy() || uploading() || !note().trim()} aria-busy={complete.busy()}>
        <Busy when={complete.busy()} working={t("working")} idle={t("member.complete")} />
      </button>
    </form>
  );
}
