import { createUniqueId, Show, splitProps, type JSX } from "solid-js";

/** A labelled input with its hint and problem wired to it for screen readers. */
export function Field(
  props: {
    label: string;
    hint?: string;
    problem?: string;
    multiline?: boolean;
    value: string;
    onValue: (v: string) => void;
  } & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onInput">,
) {
  const [own, rest] = splitProps(props, ["id", "label", "hint", "problem", "multiline", "value", "onValue"]);
  const id = own.id ?? createUniqueId();
  const described = () => [own.hint && `${id}-hint`, own.problem && `${id}-problem`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{own.label}</label>
      <Show when={own.hint}>
        <p class="hint" id={`${id}-hint`}>
          {own.hint}
        </p>
      </Show>
      <Show
        when={own.multiline}
        fallback={
          <input
            {...rest}
            id={id}
            value={own.value}
            onInput={(e) => own.onValue(e.currentTarget.value)}
            aria-invalid={own.problem ? "true" : undefined}
            aria-describedby={described()}
          />
        }
      >
        <textarea
          id={id}
          rows={3}
          value={own.value}
          required={rest.required}
          maxLength={rest.maxLength as number | undefined}
          onInput={(e) => own.onValue(e.currentTarget.value)}
          aria-invalid={own.problem ? "true" : undefined}
          aria-describedby={described()}
        />
      </Show>
      <Show when={own.problem}>
        <p class="problem" id={`${id}-problem`}>
          {own.problem}
        </p>
      </Show>
    </div>
  );
}
