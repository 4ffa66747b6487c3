import { createResource, For, Show } from "solid-js";
import { render } from "solid-js/web";

/** The API's base URL: same origin locally, the deployed API's URL on AWS (set at build time). */
const api = (import.meta.env.VITE_API_URL ?? "").replace(/\/$/, "");

interface Community {
  id: string;
  name: string;
  branches: { id: string; name: string }[];
  categories: { code: string; name: { "zh-CN": string; en: string } }[];
}

async function demoCommunity(): Promise<Community | undefined> {
  const demo = await fetch(`${api}/api/dev/demo`).then((r) => (r.ok ? r.json() : undefined));
  if (!demo) return undefined;
  return fetch(`${api}/api/communities/${demo.communityId}`).then((r) => r.json());
}

function App() {
  const [community] = createResource(demoCommunity);
  return (
    <main style={{ "font-family": "system-ui, sans-serif", "max-width": "40rem", margin: "auto", padding: "1rem" }}>
      <h1>微心愿 Microwish</h1>
      <p>群众点单 → 社区派单 → 党员接单</p>
      <Show when={community()} fallback={<p>{community.loading ? "加载中…" : "The service is running. API: /api/docs"}</p>}>
        {(c) => (
          <section>
            <h2>{c().name}</h2>
            <p>支部：{c().branches.map((b) => b.name).join("、")}</p>
            <ul>
              <For each={c().categories}>{(cat) => <li>{cat.name["zh-CN"]} · {cat.name.en}</li>}</For>
            </ul>
          </section>
        )}
      </Show>
      <p>
        <a href={`${api}/api/docs`}>API docs</a>
      </p>
    </main>
  );
}

render(() => <App />, document.getElementById("root")!);
