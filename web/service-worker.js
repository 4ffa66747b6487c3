/*
 * The app shell offline: the build fills in the list of its files and a version. Pages are
 * fetched from the network first (so a new version shows at once) and fall back to the cached
 * shell; hashed assets come from the cache. The API is never cached: the app says it is
 * offline instead of showing stale answers as fresh.
 */
const version = "__VERSION__";
const shell = __SHELL__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(version)
      .then((cache) => cache.addAll(shell))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== version).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("/index.html", { cacheName: version })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: version }).then((hit) => hit ?? fetch(request)));
});
