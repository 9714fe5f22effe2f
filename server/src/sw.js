// The panel's service worker: precaches the app shell of this build (index, wasm, js, css,
// icons, manifest) under a cache named for the build, serves it when the network is gone, and
// never touches the API or websockets. A new build installs beside the old one and waits until
// the page asks it to take over ("a new version is available").
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const CACHE = "panel-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("panel-shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  // The API, the sign-in provider's ways, health and metrics always go to the network.
  const network = ["/metrics", "/healthz", "/readyz", "/sw.js"];
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/auth/")) return;
  if (network.includes(url.pathname)) return;
  if (event.request.mode === "navigate") {
    // Pages: the network first (fresh index), the cached shell when offline.
    event.respondWith(fetch(event.request).catch(() => caches.match("/", { cacheName: CACHE })));
    return;
  }
  // Shell files are named by their content hash: the cache is always right for them.
  event.respondWith(
    caches.match(event.request, { cacheName: CACHE }).then((hit) => hit || fetch(event.request)),
  );
});

// A notification (a server started or crashed) opens its page: in the panel's window when
// there is one, else a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = typeof event.notification.data === "string" ? event.notification.data : "/";
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: "window" })) {
      if ("navigate" in client) {
        await client.focus();
        return client.navigate(url);
      }
    }
    return self.clients.openWindow(url);
  })());
});
