import { useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { get, post, put } from "../data/api";
import { community, communityId, roles } from "../data/session";
import type { MenuItem, MenuItemChange } from "../data/types";
import { fieldProblem } from "../i18n/explain";
import { locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { PageTitle } from "../ui/page-title";
import { tMenu } from "../i18n/menu";
import { tVoices } from "../i18n/voices";

const base = () => (communityId() ? `/api/communities/${encodeURIComponent(communityId()!)}/menu` : undefined);
const kinds = ["skill", "service", "health"] as const;
/** Where the post form keeps its draft: an order starts one from the item. */
const draftKey = "mw.draft";

/**
 * 服务清单: what the community's branches offer. Anyone orders from an item (the post form opens
 * filled in from it); staff add items, change them and take them off the menu.
 */
export default function Menu() {
  const navigate = useNavigate();
  const staff = () => roles().includes("staff");
  const [menu, { refetch }] = createResource(base, (path) => get<{ items: MenuItem[] }>(path));
  const [editing, setEditing] = createSignal<string | undefined>();

  const order = (item: MenuItem) => {
    try {
      sessionStorage.setItem(
        draftKey,
        JSON.stringify({
          category: item.category,
          title: item.title,
          menuItemId: item.id,
          menuTitle: item.title,
          key: crypto.randomUUID?.(),
        }),
      );
    } catch {
      // No storage: the form opens empty.
    }
    navigate("/post");
  };
  const categoryName = (code: string) => community()?.categories.find((c) => c.code === code)?.name[locale()] ?? code;

  return (
    <section class="page" aria-labelledby="menu-title">
      <PageTitle id="menu-title">{tMenu("menu.title")}</PageTitle>
      <p class="lead">{tMenu("menu.lead", { community: community()?.name ?? "" })}</p>
      <Show when={staff()}>
        <details class="card">
          <summary>{tMenu("menu.add")}</summary>
          <ItemForm onDone={() => refetch()} />
        </details>
      </Show>
      <Show when={menu.error}>
        <p class="notice" role="alert">
          {tMenu("menu.failed")}
        </p>
      </Show>
      <ul class="cards" aria-labelledby="menu-title">
        <For each={menu()?.items ?? []}>
          {(item) => (
            <li class="card menu-item" classList={{ withdrawn: item.status === "withdrawn" }}>
              <p>
                <span class="badge">{tMenu(`menu.kind.${item.kind}` as Parameters<typeof tMenu>[0])}</span>{" "}
                <span class="muted">{categoryName(item.category)}</span>
              </p>
              <h2>{item.title}</h2>
              <p>{item.description}</p>
              <dl class="facts">
                <Show when={item.when}>
                  <dt>{tMenu("menu.when")}</dt>
                  <dd>{item.when}</dd>
                </Show>
                <Show when={item.where}>
                  <dt>{tMenu("menu.where")}</dt>
                  <dd>{item.where}</dd>
                </Show>
                <dt>{tMenu("menu.branch")}</dt>
                <dd>{item.branchName}</dd>
              </dl>
              <Show when={item.status === "active"} fallback={<p class="muted">{tMenu("menu.withdrawn")}</p>}>
                <button type="button" class="primary" onClick={() => order(item)}>
                  {tMenu("menu.order")}
                </button>
                <Show when={staff()}>
                  <button type="button" class="secondary" onClick={() => setEditing(editing() === item.id ? undefined : item.id)}>
                    {tMenu("menu.edit")}
                  </button>
                  <Show when={editing() === item.id}>
                    <ItemForm item={item} onDone={() => (setEditing(undefined), refetch())} />
                  </Show>
                </Show>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={menu() && menu()!.items.length === 0}>
        <p class="empty">{tMenu("menu.empty")}</p>
      </Show>
    </section>
  );
}

/** Staff's form for a new item or a change to one; withdrawing sits beside the change. */
function ItemForm(props: { item?: MenuItem; onDone: () => void }) {
  const was = props.item;
  const [kind, setKind] = createSignal<string>(was?.kind ?? "service");
  const [title, setTitle] = createSignal(was?.title ?? "");
  const [description, setDescription] = createSignal(was?.description ?? "");
  const [category, setCategory] = createSignal<string>(was?.category ?? "");
  const [when, setWhen] = createSignal(was?.when ?? "");
  const [where, setWhere] = createSignal(was?.where ?? "");
  const [branchId, setBranchId] = createSignal(was?.branchId ?? "");
  const save = createAction();
  const withdraw = createAction();
  const id = was?.id ?? "new";

  const send = async (e: Event) => {
    e.preventDefault();
    const body = {
      kind: kind(),
      title: title().trim(),
      description: description().trim(),
      category: category(),
      when: when().trim() || undefined,
      where: where().trim() || undefined,
      branchId: branchId(),
    } as MenuItemChange;
    const done = await save.run(
      () => (was ? put<MenuItem>(`${base()}/${was.id}`, body) : post<MenuItem>(base()!, body)),
      tMenu(was ? "menu.saved" : "menu.added"),
    );
    if (done) props.onDone();
  };

  return (
    <form onSubmit={send} novalidate>
      <div class="field">
        <label for={`menu-kind-${id}`}>{tMenu("menu.kindLabel")}</label>
        <select id={`menu-kind-${id}`} value={kind()} onChange={(e) => setKind(e.currentTarget.value)}>
          <For each={kinds}>{(k) => <option value={k}>{tMenu(`menu.kind.${k}` as Parameters<typeof tMenu>[0])}</option>}</For>
        </select>
      </div>
      <Field
        label={tMenu("menu.itemTitle")}
        required
        maxLength={40}
        value={title()}
        onValue={setTitle}
        problem={fieldProblem(save.error(), "title")}
      />
      <Field
        label={tMenu("menu.offered")}
        multiline
        required
        maxLength={500}
        value={description()}
        onValue={setDescription}
        problem={fieldProblem(save.error(), "description")}
      />
      <div class="field">
        <label for={`menu-category-${id}`}>{tMenu("menu.category")}</label>
        <select id={`menu-category-${id}`} value={category()} onChange={(e) => setCategory(e.currentTarget.value)}>
          <option value="">{tVoices("voices.pickCategory")}</option>
          <For each={community()?.categories ?? []}>{(c) => <option value={c.code}>{c.name[locale()]}</option>}</For>
        </select>
        <Show when={fieldProblem(save.error(), "category")}>{(p) => <p class="problem">{p()}</p>}</Show>
      </div>
      <Field label={tMenu("menu.when")} maxLength={100} value={when()} onValue={setWhen} problem={fieldProblem(save.error(), "when")} />
      <Field label={tMenu("menu.where")} maxLength={100} value={where()} onValue={setWhere} problem={fieldProblem(save.error(), "where")} />
      <div class="field">
        <label for={`menu-branch-${id}`}>{tMenu("menu.branch")}</label>
        <select id={`menu-branch-${id}`} value={branchId()} onChange={(e) => setBranchId(e.currentTarget.value)}>
          <option value="">{tMenu("menu.pickBranch")}</option>
          <For each={community()?.branches ?? []}>{(b) => <option value={b.id}>{b.name}</option>}</For>
        </select>
        <Show when={fieldProblem(save.error(), "branchId")}>{(p) => <p class="problem">{p()}</p>}</Show>
      </div>
      <button type="submit" class="primary" disabled={save.busy()} aria-busy={save.busy()}>
        <Busy when={save.busy()} working={t("working")} idle={tMenu(was ? "menu.save" : "menu.addIt")} />
      </button>
      <Outcome action={save} />
      <Show when={was}>
        <button
          type="button"
          class="secondary"
          disabled={withdraw.busy()}
          onClick={async () => {
            if (await withdraw.run(() => post(`${base()}/${was!.id}/withdraw`), tMenu("menu.withdrawnNow"))) props.onDone();
          }}
        >
          {tMenu("menu.withdraw")}
        </button>
        <Outcome action={withdraw} />
      </Show>
    </form>
  );
}
