import { createEffect, createSignal, For, onCleanup, Show } from "solid-js";
import { post } from "../data/api";
import type { PhotoPurpose, Upload } from "../data/types";
import { explain } from "../i18n/explain";
import { t } from "../i18n";
import { shrink, ShrinkError } from "./photo-shrink";

/** The API's limits (functions/core/photos.ts): the phone checks first so people hear it before anything is sent. */
export const maxPhotos = 9;
const maxBytes = 2 * 1024 * 1024;

interface Item {
  id: number;
  name: string;
  preview: () => string | undefined;
  progress: () => number;
  key: () => string | undefined;
  removed: boolean;
}

/** The form straight to the bucket, fields first and the file last, as S3's POST Object wants them. */
function send(grant: Upload, photo: Blob, onProgress: (done: number) => void) {
  return new Promise<void>((done, failed) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    form.append("file", photo, "photo.jpg");
    const xhr = new XMLHttpRequest();
    xhr.open(grant.method, grant.url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? done() : failed(new Error(`HTTP ${xhr.status}`)));
    xhr.onerror = () => failed(new Error(navigator.onLine ? "network" : "offline"));
    xhr.send(form);
  });
}

let nextId = 0;

/**
 * Photos for a record: picked from the camera or the gallery, shrunk on the phone, uploaded
 * straight to the bucket one after another, shown as thumbnails with their progress. The form
 * gets the keys of those uploaded (`onKeys`) and knows when some are still on their way (`onBusy`).
 */
export default function PhotoPicker(props: {
  purpose: PhotoPurpose;
  /** photos the record may still take (it may have some already) */
  max?: number;
  onKeys: (keys: string[]) => void;
  onBusy?: (busy: boolean) => void;
}) {
  let input!: HTMLInputElement;
  const [items, setItems] = createSignal<Item[]>([]);
  const [refusals, setRefusals] = createSignal<string[]>([]);
  const [pending, setPending] = createSignal(0);
  const room = () => (props.max ?? maxPhotos) - items().length;
  const urls = new Set<string>();
  let queue = Promise.resolve();

  createEffect(() => props.onKeys(items().flatMap((i) => i.key() ?? [])));
  createEffect(() => props.onBusy?.(pending() > 0));
  onCleanup(() => {
    for (const url of urls) URL.revokeObjectURL(url);
  });

  const drop = (item: Item) => {
    item.removed = true;
    setItems((all) => all.filter((i) => i !== item));
    const url = item.preview();
    if (url) URL.revokeObjectURL(url), urls.delete(url);
  };

  async function upload(
    file: File,
    item: Item,
    setPreview: (u: string) => void,
    setProgress: (p: number) => void,
    setKey: (k: string) => void,
  ) {
    try {
      const photo = await shrink(file, maxBytes);
      if (item.removed) return;
      const url = URL.createObjectURL(photo);
      urls.add(url);
      setPreview(url);
      const grant = await post<Upload>("/api/uploads", { purpose: props.purpose, contentType: "image/jpeg", size: photo.size });
      if (item.removed) return;
      await send(grant, photo, setProgress);
      if (!item.removed) setKey(grant.key);
    } catch (err) {
      if (item.removed) return;
      drop(item);
      const name = file.name;
      const why =
        err instanceof ShrinkError
          ? t(err.reason === "too_large" ? "photo.tooLarge" : "photo.wrongType", { name })
          : t("photo.failed", { name, reason: err instanceof Error && err.message.startsWith("HTTP") ? err.message : explain(err) });
      setRefusals((r) => [...r, why]);
    } finally {
      setPending((n) => n - 1);
    }
  }

  const choose = (files: File[]) => {
    const refused: string[] = [];
    const photos = files.filter((f) => f.type.startsWith("image/") || (refused.push(t("photo.wrongType", { name: f.name })), false));
    const taken = photos.slice(0, Math.max(0, room()));
    if (photos.length > taken.length) refused.push(t("photo.tooMany", { max: props.max ?? maxPhotos, n: photos.length - taken.length }));
    setRefusals(refused);
    for (const file of taken) {
      const [preview, setPreview] = createSignal<string>();
      const [progress, setProgress] = createSignal(0);
      const [key, setKey] = createSignal<string>();
      const item: Item = { id: nextId++, name: file.name, preview, progress, key, removed: false };
      setItems((all) => [...all, item]);
      setPending((n) => n + 1);
      // One at a time: a phone decoding several camera photos at once can run out of memory.
      queue = queue.then(() => upload(file, item, setPreview, setProgress, setKey));
    }
  };

  return (
    <fieldset class="photo-picker">
      <legend>{t("photo.legend", { max: props.max ?? maxPhotos })}</legend>
      <Show when={items().length > 0}>
        <ul class="thumbs">
          <For each={items()}>
            {(item, i) => (
              <li>
                <Show
                  when={item.preview()}
                  fallback={<span class="spinner" role="img" aria-label={t("photo.uploading", { n: i() + 1 })} />}
                >
                  {(src) => <img src={src()} alt={t("photo.alt", { n: i() + 1 })} />}
                </Show>
                <Show when={!item.key()}>
                  <progress max="1" value={item.progress()} aria-label={t("photo.uploading", { n: i() + 1 })} />
                </Show>
                <button type="button" class="remove" aria-label={t("photo.remove", { n: i() + 1 })} onClick={() => drop(item)}>
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={room() > 0}>
        <button type="button" class="secondary" onClick={() => input.click()}>
          {t("photo.add")}
        </button>
      </Show>
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        onChange={(e) => {
          choose([...(e.currentTarget.files ?? [])]);
          e.currentTarget.value = "";
        }}
      />
      <div role="alert">
        <For each={refusals()}>{(text) => <p class="problem">{text}</p>}</For>
      </div>
    </fieldset>
  );
}
