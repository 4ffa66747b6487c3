import { A, useNavigate, useParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { ApiError, get, post } from "../data/api";
import { me } from "../data/session";
import type { Appointed, AuditEvent, Community, LatLng, Page, Registration, Unit, UnitKind } from "../data/types";
import { explain, explainLoad, fieldProblem } from "../i18n/explain";
import { formatDateTime, t } from "../i18n";
import { tAdmin } from "../i18n/unit-admin";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { PageTitle } from "../ui/page-title";

type Key = Parameters<typeof tAdmin>[0];
/** The kind each kind of unit holds beneath it, as the API allows. */
const childKind: Record<UnitKind, UnitKind | undefined> = { county: "street", street: "community", community: "grid", grid: undefined };
const kindName = (k: UnitKind) => tAdmin(`admin.kind.${k}` as Key);

/** Whether the signed-in person is staff of a unit on this path (or an admin): the API's own rule for managing it. */
function reaches(path: string[] | undefined) {
  const who = me();
  if (!who || !path) return false;
  return (
    who.admin ||
    path.some(
      (id) =>
        who.units.some((u) => u.unitId === id && u.roles.includes("staff")) ||
        who.communities.some((m) => m.communityId === id && m.roles.includes("staff")),
    )
  );
}

/** `/organisation` lists the units a person serves; `/units/:id/manage` manages one. */
export default function UnitAdmin() {
  const params = useParams<{ id?: string }>();
  return (
    <Show when={params.id} fallback={<Hub />} keyed>
      {(id) => <Manage id={id} />}
    </Show>
  );
}

/** The units the person is staff of, each a link to manage it; an administrator also creates counties here. */
function Hub() {
  const navigate = useNavigate();
  const ids = createMemo(() => {
    const who = me();
    if (!who) return [];
    const units = who.units.filter((u) => u.roles.includes("staff")).map((u) => u.unitId);
    const communities = who.communities.filter((m) => m.roles.includes("staff")).map((m) => m.communityId);
    return [...new Set([...units, ...communities])];
  });
  const [served] = createResource(ids, (list) => Promise.all(list.map((id) => get<Unit>(`/api/units/${encodeURIComponent(id)}`))));
  return (
    <section class="page" aria-labelledby="hub-title">
      <PageTitle id="hub-title">{tAdmin("admin.hub")}</PageTitle>
      <p class="lead">{tAdmin("admin.hubLead")}</p>
      <Show when={served.error}>
        <p class="notice error" role="alert">
          {explainLoad(served.error)}
        </p>
      </Show>
      <Show when={served.latest}>
        {(list) => (
          <Show when={list().length} fallback={<p class="empty">{tAdmin("admin.none")}</p>}>
            <ul class="unit-links" aria-labelledby="hub-title">
              <For each={list()}>
                {(u) => (
                  <li>
                    <A class="button secondary wide" href={`/units/${u.id}/manage`}>
                      {`${u.name} · ${kindName(u.kind)}`}
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={me()?.admin}>
        <NewUnit kind="county" onMade={(u) => navigate(`/units/${u.id}/manage`)} />
      </Show>
    </section>
  );
}

/** A unit's page for its staff and those above: its children, its staff, a community's registrations, the audit trail. */
function Manage(props: { id: string }) {
  const path = () => `/api/units/${encodeURIComponent(props.id)}`;
  const [unit, { refetch }] = createResource(path, (p) => get<Unit>(p));
  const [audit, { refetch: reloadAudit }] = createResource(path, (p) => get<Page<AuditEvent>>(`${p}/audit`));
  const current = () => (unit.latest?.id === props.id ? unit.latest : undefined);
  // Staff of the unit read its children and staff; anyone else gets its name only, and the audit read says why.
  const managed = () => (current()?.children ? current() : undefined);
  const changed = () => (refetch(), reloadAudit());
  const up = () => {
    const u = current();
    return u?.parentId && reaches(u.path?.slice(0, -1)) ? u.parentId : undefined;
  };
  const title = () => (current() ? tAdmin("admin.title", { name: current()!.name }) : t("loading"));
  const failed = () => unit.error ?? (current() && !managed() ? audit.error : undefined);

  return (
    <section class="page" aria-labelledby="admin-title">
      <PageTitle id="admin-title">{title()}</PageTitle>
      <Show when={current()}>
        {(u) => (
          <p class="muted">
            {kindName(u().kind)}
            <Show when={u().kind !== "grid"}>
              {" · "}
              <A href={`/units/${u().id}`}>{tAdmin("admin.dashboard")}</A>
            </Show>
            <Show when={up()}>
              {(p) => (
                <>
                  {" · "}
                  <A href={`/units/${p()}/manage`}>{tAdmin("admin.up")}</A>
                </>
              )}
            </Show>
          </p>
        )}
      </Show>
      <Show when={failed()}>
        <p class="notice error" role="alert">
          {explainLoad(failed())}
        </p>
      </Show>
      <Show when={managed()}>
        {(u) => (
          <>
            {/* What waits for a decision comes first. */}
            <Show when={u().kind === "community"}>
              <Registrations communityId={u().id} onDecided={reloadAudit} />
            </Show>
            <Show when={childKind[u().kind]}>
              {(kind) => (
                <>
                  <h2 id="children-title">{tAdmin(`admin.children.${u().kind}` as Key)}</h2>
                  <Show when={u().children!.length} fallback={<p class="empty">{tAdmin("admin.noChildren")}</p>}>
                    <ul class="unit-links" aria-labelledby="children-title">
                      <For each={u().children}>
                        {(c) => (
                          <li>
                            <A class="button secondary wide" href={`/units/${c.id}/manage`}>
                              {c.name}
                            </A>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                  <NewUnit kind={kind()} parentId={u().id} onMade={changed} />
                </>
              )}
            </Show>
            <Show when={u().kind === "grid" && u().area}>{(area) => <AreaPreview area={area()} />}</Show>
            <Staff unit={u()} onAppointed={changed} />
            <Audit unit={u()} events={audit.latest?.items} error={audit.error} />
          </>
        )}
      </Show>
    </section>
  );
}

const number = String.raw`(-?\d{1,3}(?:\.\d+)?)`;
const pointLine = new RegExp(`^${number}\\s*[,，;；\\s]\\s*${number}$`);

/** The pasted area as points, or the number of the first line that is not a point. */
function parseArea(text: string): { points: LatLng[] } | { badLine: number } {
  const points: LatLng[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = pointLine.exec(line);
    if (!m) return { badLine: i + 1 };
    points.push({ lat: Number(m[1]), lng: Number(m[2]) });
  }
  return { points };
}

/** Why the API refused an area, from the points that were sent: too few, one twice, or edges crossing. */
function areaRefusal(err: unknown, points: LatLng[]) {
  if (!(err instanceof ApiError) || err.code !== "unit.invalid_area") return explain(err);
  if (points.length < 3) return tAdmin("err.unit.invalid_area.few", { n: points.length });
  if (new Set(points.map((p) => `${p.lat},${p.lng}`)).size < points.length) return tAdmin("err.unit.invalid_area.twice");
  return tAdmin("err.unit.invalid_area.crossing");
}

/** A child unit of the one kind the parent holds; a grid with its area pasted as points. */
function NewUnit(props: { kind: UnitKind; parentId?: string; onMade: (u: Unit) => void }) {
  const [name, setName] = createSignal("");
  const [areaText, setAreaText] = createSignal("");
  const [sent, setSent] = createSignal<LatLng[]>([]);
  const make = createAction();
  const grid = () => props.kind === "grid";
  const parsed = createMemo(() => parseArea(areaText()));
  const points = () => {
    const p = parsed();
    return "points" in p ? p.points : undefined;
  };
  const lineProblem = () => {
    const p = parsed();
    return "badLine" in p ? tAdmin("admin.areaLine", { n: p.badLine }) : undefined;
  };
  const areaProblem = () => lineProblem() ?? (fieldProblem(make.error(), "area") ? areaRefusal(make.error(), sent()) : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (grid() && !points()) return;
    const area = grid() ? points() : undefined;
    setSent(area ?? []);
    const made = await make.run(
      () => post<Unit>("/api/units", { kind: props.kind, name: name().trim(), parentId: props.parentId, area }),
      tAdmin("admin.created", { name: name().trim() }),
    );
    if (made) {
      setName("");
      setAreaText("");
      props.onMade(made);
    }
  };
  const label = tAdmin(`admin.add.${props.kind}` as Key);
  return (
    <details class="card">
      <summary>{label}</summary>
      <form onSubmit={submit} novalidate aria-label={label}>
        <Field
          label={tAdmin("admin.name")}
          required
          maxLength={60}
          value={name()}
          onValue={setName}
          problem={fieldProblem(make.error(), "name")}
        />
        <Show when={grid()}>
          <Field
            label={tAdmin("admin.area")}
            hint={tAdmin("admin.areaHint")}
            multiline
            required
            value={areaText()}
            onValue={setAreaText}
            problem={areaProblem()}
          />
          <Show when={points()?.length}>
            <p class="hint" aria-live="polite">
              {tAdmin("admin.areaPoints", { n: points()!.length })}
            </p>
            <Show when={points()!.length >= 3}>
              <AreaPreview area={points()!} />
            </Show>
          </Show>
        </Show>
        <button type="submit" class="primary" disabled={make.busy()} aria-busy={make.busy()}>
          <Busy when={make.busy()} working={t("working")} idle={tAdmin("admin.create")} />
        </button>
        <Outcome action={make} say={(err) => (fieldProblem(err, "area") ? areaRefusal(err, sent()) : explain(err))} />
      </form>
    </details>
  );
}

/** The area's outline, north up, so that crossing edges show before anything is sent. */
function AreaPreview(props: { area: LatLng[] }) {
  const shape = createMemo(() => {
    const lats = props.area.map((p) => p.lat);
    const lngs = props.area.map((p) => p.lng);
    const [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
    const span = Math.max(north - south, east - west) || 1;
    return props.area
      .map((p) => `${(((p.lng - west) / span) * 180 + 10).toFixed(1)},${(((north - p.lat) / span) * 180 + 10).toFixed(1)}`)
      .join(" ");
  });
  return (
    <svg class="area-preview" viewBox="0 0 200 200" role="img" aria-label={tAdmin("admin.areaPreview")}>
      <polygon points={shape()} />
    </svg>
  );
}

/** The unit's staff (a grid's leaders) and the form that appoints one by phone and name. */
function Staff(props: { unit: Unit; onAppointed: () => void }) {
  const [phone, setPhone] = createSignal("");
  const [name, setName] = createSignal("");
  const appoint = createAction();
  const grid = () => props.unit.kind === "grid";
  const heading = () => (grid() ? "admin.leaders" : "admin.staff");
  const submit = async (e: Event) => {
    e.preventDefault();
    const who = name().trim();
    const done = await appoint.run(
      () =>
        post<Appointed>(`/api/units/${encodeURIComponent(props.unit.id)}/staff`, {
          phone: phone().trim(),
          name: who,
          ...(grid() ? { leader: true } : {}),
        }),
      tAdmin("admin.appointed", { name: who }),
    );
    if (done) {
      setPhone("");
      setName("");
      props.onAppointed();
    }
  };
  return (
    <>
      <h2 id="staff-title">{tAdmin(heading())}</h2>
      <Show when={props.unit.staff?.length} fallback={<p class="empty">{tAdmin("admin.noStaff")}</p>}>
        <ul class="cards" aria-labelledby="staff-title">
          <For each={props.unit.staff}>
            {(s) => (
              <li class="card">
                <strong>{s.name}</strong> <span class="muted">{s.roles.map((r) => tAdmin(`admin.role.${r}` as Key)).join("、")}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <details class="card">
        <summary>{tAdmin(grid() ? "admin.appointLeader" : "admin.appoint")}</summary>
        <form onSubmit={submit} novalidate aria-label={tAdmin(grid() ? "admin.appointLeader" : "admin.appoint")}>
          <Field
            label={tAdmin("admin.phone")}
            hint={tAdmin("admin.phoneHint")}
            type="tel"
            inputmode="tel"
            autocomplete="off"
            required
            maxLength={32}
            value={phone()}
            onValue={setPhone}
            problem={fieldProblem(appoint.error(), "phone") ? tAdmin("admin.phoneProblem") : undefined}
          />
          <Field
            label={tAdmin("admin.personName")}
            required
            maxLength={40}
            value={name()}
            onValue={setName}
            problem={fieldProblem(appoint.error(), "name")}
          />
          <button type="submit" class="primary" disabled={appoint.busy()} aria-busy={appoint.busy()}>
            <Busy when={appoint.busy()} working={t("working")} idle={tAdmin("admin.appointIt")} />
          </button>
          <Outcome action={appoint} />
        </form>
      </details>
    </>
  );
}

/** A community's pending registrations (报到), each approved or rejected with the reason the person is told. */
function Registrations(props: { communityId: string; onDecided: () => void }) {
  const base = () => `/api/communities/${encodeURIComponent(props.communityId)}`;
  const [pending, { refetch }] = createResource(base, (b) => get<Page<Registration>>(`${b}/registrations?status=pending`));
  const [community] = createResource(base, (b) => get<Community>(b));
  const branchName = (id?: string) => community.latest?.branches.find((b) => b.id === id)?.name;
  const [rejecting, setRejecting] = createSignal<string>();
  const [reason, setReason] = createSignal("");
  const decide = createAction();
  const decided = () => (setRejecting(undefined), setReason(""), refetch(), props.onDecided());
  const approve = async (r: Registration) => {
    if (await decide.run(() => post(`/api/registrations/${r.id}/approve`), tAdmin("admin.approved", { name: r.name }))) decided();
  };
  const reject = async (r: Registration) => {
    const why = reason().trim();
    if (await decide.run(() => post(`/api/registrations/${r.id}/reject`, { reason: why }), tAdmin("admin.rejected", { name: r.name })))
      decided();
  };
  return (
    <>
      <h2 id="registrations-title">{tAdmin("admin.registrations")}</h2>
      <Show when={pending.error}>
        <p class="notice error" role="alert">
          {explainLoad(pending.error)}
        </p>
      </Show>
      <Show when={pending.latest}>
        {(p) => (
          <Show when={p().items.length} fallback={<p class="empty">{tAdmin("admin.noRegistrations")}</p>}>
            <ul class="cards" aria-labelledby="registrations-title">
              <For each={p().items}>
                {(r) => (
                  <li class="card">
                    <p class="card-title">{r.name}</p>
                    <p class="meta">
                      <span>{formatDateTime(r.createdAt)}</span>
                      <Show when={branchName(r.branchId)}>{(b) => <span>{tAdmin("admin.branch", { name: b() })}</span>}</Show>
                    </p>
                    <Show when={r.note}>
                      <p>{r.note}</p>
                    </Show>
                    <div class="row">
                      <button type="button" class="secondary" onClick={() => setRejecting(rejecting() === r.id ? undefined : r.id)}>
                        {tAdmin("admin.reject")}
                      </button>
                      <button type="button" class="primary" disabled={decide.busy()} onClick={() => approve(r)}>
                        {tAdmin("admin.approve")}
                      </button>
                    </div>
                    <Show when={rejecting() === r.id}>
                      <form
                        onSubmit={(e) => {
                          e.preventDefault();
                          reject(r);
                        }}
                        novalidate
                      >
                        <Field
                          label={tAdmin("admin.rejectReason")}
                          required
                          maxLength={200}
                          value={reason()}
                          onValue={setReason}
                          problem={fieldProblem(decide.error(), "reason")}
                        />
                        <button type="submit" class="primary" disabled={decide.busy()}>
                          {tAdmin("admin.rejectIt")}
                        </button>
                      </form>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <Outcome action={decide} />
    </>
  );
}

/** What an audit event did, in words: the person's name where the unit's staff list knows it. */
function describe(e: AuditEvent, unit: Unit) {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  const nameOf = (id: unknown) => unit.staff?.find((s) => s.id === id)?.name ?? tAdmin("admin.someone");
  switch (e.action) {
    case "unit.create":
      return tAdmin("admin.action.unit.create", { kind: kindName(after.kind as UnitKind), name: String(after.name ?? "") });
    case "staff.appoint":
    case "leader.appoint":
      return tAdmin(`admin.action.${e.action}`, { name: nameOf(after.userId) });
    case "registration.approve":
      return tAdmin("admin.action.registration.approve");
    case "registration.reject":
      return tAdmin("admin.action.registration.reject", { reason: String(after.reason ?? "") });
    case "settings.change": {
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
      const what = keys
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => `${k} ${JSON.stringify(before[k] ?? null)} → ${JSON.stringify(after[k] ?? null)}`)
        .join("; ");
      return tAdmin("admin.action.settings.change", { what });
    }
    default:
      return e.action;
  }
}

/** The unit's administrative changes, newest first: who, when, what. */
function Audit(props: { unit: Unit; events?: AuditEvent[]; error?: unknown }) {
  return (
    <>
      <h2 id="audit-title">{tAdmin("admin.audit")}</h2>
      <Show when={props.error}>
        <p class="notice error" role="alert">
          {explainLoad(props.error)}
        </p>
      </Show>
      <Show when={props.events}>
        {(events) => (
          <Show when={events().length} fallback={<p class="empty">{tAdmin("admin.noAudit")}</p>}>
            <ol class="audit" aria-labelledby="audit-title">
              <For each={events()}>
                {(e) => (
                  <li>
                    <time datetime={e.at}>{formatDateTime(e.at)}</time> <strong>{e.byName}</strong> {describe(e, props.unit)}
                  </li>
                )}
              </For>
            </ol>
          </Show>
        )}
      </Show>
    </>
  );
}
