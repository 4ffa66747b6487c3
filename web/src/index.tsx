import { Navigate, Route, Router } from "@solidjs/router";
import { lazy, Show } from "solid-js";
import { render } from "solid-js/web";
import { prefetch } from "./data/api";
import { homeLists } from "./data/home-lists";
import { unreadPath } from "./data/notifications";
import { mePath } from "./data/profile";
import { communityId, homeOf, me, role, token } from "./data/session";
import { loadLocale, locale } from "./i18n";
import { Shell } from "./ui/shell";
import "./ui/app.css";

/** Each role's home page: their chunks are also preloaded by index.html (vite.config.ts). */
const homes = {
  "/mine": () => import("./pages/my-wishes"),
  "/hall": () => import("./pages/hall"),
  "/review": () => import("./pages/review"),
};
const SignIn = lazy(() => import("./pages/sign-in"));
const Post = lazy(() => import("./pages/post"));
const MyWishes = lazy(homes["/mine"]);
const WishPage = lazy(() => import("./pages/wish"));
const Hall = lazy(homes["/hall"]);
const Tasks = lazy(() => import("./pages/tasks"));
const Hours = lazy(() => import("./pages/hours"));
const Review = lazy(homes["/review"]);
const Board = lazy(() => import("./pages/board"));
const VerifyQueue = lazy(() => import("./pages/verify-queue"));
const Stats = lazy(() => import("./pages/stats"));
const Import = lazy(() => import("./pages/import"));
const Settings = lazy(() => import("./pages/settings"));
const Notifications = lazy(() => import("./pages/notifications"));
const MePage = lazy(() => import("./pages/me"));
const Voices = lazy(() => import("./pages/voices"));
const Activities = lazy(() => import("./pages/activities"));
const ActivityPage = lazy(() => import("./pages/activity"));
const MapPage = lazy(() => import("./pages/map"));
const MenuPage = lazy(() => import("./pages/menu"));
const UnitPage = lazy(() => import("./pages/units"));
const UnitAdmin = lazy(() => import("./pages/unit-admin"));
const Join = lazy(() => import("./pages/join"));
const NotFound = lazy(() => import("./pages/not-found"));

document.documentElement.lang = locale();

// Signed in, the first page's code and list and the app's own reads start now, side by side, rather than
// one after the other as the page and the shell come to ask: the home's list first (the first card waits
// on it), then who the person is (with the community the app opens in) and the bell's count.
if (token()) {
  const first = location.pathname === "/" ? homeOf(role()) : location.pathname;
  if (first in homes) {
    homes[first as keyof typeof homes]();
    const list = homeLists[first](communityId());
    if (list) prefetch(list);
  }
  prefetch(mePath);
  prefetch(unreadPath);
}

// English readers get their catalogue before the first paint rather than a flash of Chinese.
loadLocale(locale()).then(() =>
  render(
    () => (
      <Router root={Shell}>
        <Route path="/signin" component={SignIn} />
        {/* Signed in, the home waits for who the person is: a county's or street's staff start on its dashboard. */}
        <Route
          path="/"
          component={() => (
            <Show when={!token() || me()}>
              <Navigate href={token() ? homeOf(role()) : "/signin"} />
            </Show>
          )}
        />
        <Route path="/post" component={Post} />
        <Route path="/mine" component={MyWishes} />
        <Route path="/wishes/:id" component={WishPage} />
        <Route path="/hall" component={Hall} />
        <Route path="/tasks" component={Tasks} />
        <Route path="/hours" component={Hours} />
        <Route path="/review" component={Review} />
        <Route path="/board" component={Board} />
        <Route path="/verify" component={VerifyQueue} />
        <Route path="/stats" component={Stats} />
        <Route path="/import" component={Import} />
        <Route path="/settings" component={Settings} />
        <Route path="/notifications" component={Notifications} />
        <Route path="/me" component={MePage} />
        <Route path="/voices" component={Voices} />
        <Route path="/activities" component={Activities} />
        {/* Also `/activities/:id/check-in?t=TOKEN`, where the poster's QR code leads, and `/activities/:id/poster`. */}
        <Route path="/activities/:id/*rest" component={ActivityPage} />
        <Route path="/map" component={MapPage} />
        <Route path="/menu" component={MenuPage} />
        <Route path="/units/:id" component={UnitPage} />
        <Route path="/units/:id/manage" component={UnitAdmin} />
        <Route path="/organisation" component={UnitAdmin} />
        <Route path="/join" component={Join} />
        <Route path="*" component={NotFound} />
      </Router>
    ),
    document.getElementById("root")!,
  ),
);

// The app shell is cached so that the app opens without a network (and says it is offline).
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => undefined));
}
