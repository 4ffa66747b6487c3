import { createSignal, lazy, Show, Suspense } from "solid-js";
import type { PhotoPurpose } from "../data/types";
import { t } from "../i18n";

const PhotoPicker = lazy(() => import("./photo-picker"));

/**
 * A form's photos: the picker, loaded only when a form shows it, and the line that says uploads
 * are still under way (the form waits for them before it sends, `onBusy`).
 */
export function PhotoField(props: {
  purpose: PhotoPurpose;
  max?: number;
  onKeys: (keys: string[]) => void;
  onBusy: (busy: boolean) => void;
}) {
  const [uploading, setUploading] = createSignal(false);
  const busy = (now: boolean) => {
    setUploading(now);
    props.onBusy(now);
  };
  return (
    <>
      <Suspense>
        <PhotoPicker purpose={props.purpose} max={props.max} onKeys={props.onKeys} onBusy={busy} />
      </Suspense>
      <Show when={uploading()}>
        <p class="hint" role="status">
          {t("photo.busy")}
        </p>
      </Show>
    </>
  );
}
