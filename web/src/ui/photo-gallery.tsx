import { createSignal, createUniqueId, For, Show } from "solid-js";
import type { Photo } from "../data/types";
import { t } from "../i18n";

/** A record's photos as thumbnails; a tap shows one full size over the page. */
export default function PhotoGallery(props: { title: string; photos: Photo[] }) {
  let dialog!: HTMLDialogElement;
  const id = createUniqueId();
  const [shown, setShown] = createSignal(0);
  const open = (i: number) => {
    setShown(i);
    dialog.showModal();
  };
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      <ul class="thumbs">
        <For each={props.photos}>
          {(photo, i) => (
            <li>
              <button type="button" class="thumb" aria-label={t("photo.open", { n: i() + 1 })} onClick={() => open(i())}>
                <img src={photo.url} alt="" loading="lazy" />
              </button>
            </li>
          )}
        </For>
      </ul>
      <dialog ref={dialog} class="dialog photo-full" aria-label={t("photo.alt", { n: shown() + 1 })}>
        <Show when={props.photos[shown()]}>{(photo) => <img src={photo().url} alt={t("photo.alt", { n: shown() + 1 })} />}</Show>
        <div class="row">
          <button type="button" class="secondary" onClick={() => dialog.close()} autofocus>
            {t("action.close")}
          </button>
        </div>
      </dialog>
    </section>
  );
}
