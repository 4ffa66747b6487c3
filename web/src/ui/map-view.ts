/**
 * The map itself: Leaflet and its stylesheet, loaded only when the map page asks for this module
 * (a dynamic import), so no other page pays for them. Tiles come from the build's configuration
 * (`VITE_MAP_TILES`, one URL template or several separated by spaces, drawn in order); without
 * them the map is still useful: markers on a plain background, a scale bar, and the view fitted
 * to the markers.
 */
import * as L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./map.css";
import type { LatLng } from "../data/types";

export interface Place extends LatLng {
  id: string;
  kind: "wish" | "activity";
  /** what the marker is called for screen readers and in its popup's heading */
  title: string;
  /** lines under the title: when, where, how far */
  lines: string[];
  /** a page of the app the popup links to */
  href?: string;
  linkText?: string;
}

export interface Area {
  name: string;
  points: LatLng[];
}

export interface MapSettings {
  tiles?: string;
  subdomains?: string;
  attribution?: string;
  labels: { zoomIn: string; zoomOut: string; close: string; you: string; area: (name: string) => string };
  /** Follows a popup's link within the app (a popup keeps its clicks from the router). */
  navigate: (href: string) => void;
}

export interface Shown {
  places: Place[];
  areas: Area[];
  /** the phone's own position: drawn on this phone only */
  you?: LatLng;
}

export function createMap(container: HTMLElement, settings: MapSettings) {
  const templates = (settings.tiles ?? "").split(/\s+/).filter(Boolean);
  container.classList.toggle("plain", templates.length === 0);
  const map = L.map(container, {
    zoomControl: false,
    attributionControl: templates.length > 0,
    minZoom: 3,
    maxZoom: 18,
  });
  L.control.zoom({ zoomInTitle: settings.labels.zoomIn, zoomOutTitle: settings.labels.zoomOut }).addTo(map);
  L.control.scale({ imperial: false, maxWidth: 120 }).addTo(map);
  for (const url of templates) {
    L.tileLayer(url, {
      maxZoom: 18,
      subdomains: settings.subdomains || "abc",
      attribution: settings.attribution ?? "",
    }).addTo(map);
  }
  if (templates.length) map.attributionControl.setPrefix(false);
  // Leaflet names the popup's close button in English only.
  map.on("popupopen", (e) => {
    e.popup.getElement()?.querySelector(".leaflet-popup-close-button")?.setAttribute("aria-label", settings.labels.close);
  });

  const layers = L.layerGroup().addTo(map);
  const markers = new Map<string, L.Marker>();
  let fitted = "";

  function popupOf(p: Place) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("strong");
    title.textContent = p.title;
    box.append(title);
    for (const line of p.lines) {
      const el = document.createElement("p");
      el.textContent = line;
      box.append(el);
    }
    if (p.href) {
      const a = document.createElement("a");
      a.href = p.href;
      a.className = "button primary";
      a.textContent = p.linkText ?? p.title;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        settings.navigate(p.href!);
      });
      box.append(a);
    }
    return box;
  }

  function pin(kind: string, label: string) {
    const html = document.createElement("span");
    html.className = "sr-only";
    html.textContent = label;
    return L.divIcon({ className: `map-pin ${kind}`, html, iconSize: [44, 44], iconAnchor: [22, 40], popupAnchor: [0, -34] });
  }

  /** Draws what is given; the view is fitted to it when the set of places changes, not when only distances do. */
  function show(what: Shown) {
    const open = [...markers].find(([, m]) => m.isPopupOpen())?.[0];
    layers.clearLayers();
    markers.clear();
    for (const area of what.areas) {
      L.polygon(
        area.points.map((p) => [p.lat, p.lng] as L.LatLngTuple),
        { className: "map-area", weight: 2 },
      )
        .bindTooltip(settings.labels.area(area.name), { sticky: true })
        .addTo(layers);
    }
    for (const p of what.places) {
      const marker = L.marker([p.lat, p.lng], { icon: pin(p.kind, p.title), title: p.title, keyboard: true, riseOnHover: true })
        .bindPopup(popupOf(p), { maxWidth: 260, minWidth: 200, autoPanPadding: [16, 16] })
        .addTo(layers);
      markers.set(p.id, marker);
    }
    if (what.you) {
      L.marker([what.you.lat, what.you.lng], { icon: pin("you", settings.labels.you), title: settings.labels.you, keyboard: false }).addTo(
        layers,
      );
    }
    const key = what.places.map((p) => p.id).join(",") + (what.you ? "+you" : "");
    if (key !== fitted) {
      fitted = key;
      const points: L.LatLngTuple[] = [
        ...what.places.map((p) => [p.lat, p.lng] as L.LatLngTuple),
        ...what.areas.flatMap((a) => a.points.map((p) => [p.lat, p.lng] as L.LatLngTuple)),
        ...(what.you ? [[what.you.lat, what.you.lng] as L.LatLngTuple] : []),
      ];
      if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 17, animate: false });
      // Nothing to show: China as a whole, so the page is not a blank box.
      else map.setView([35, 105], 4, { animate: false });
    }
    if (open) markers.get(open)?.openPopup();
  }

  return {
    show,
    /** Opens a place's popup, as when its marker is pressed. */
    open: (id: string) => markers.get(id)?.openPopup(),
    resize: () => map.invalidateSize(),
    destroy: () => map.remove(),
  };
}

export type MapHandle = ReturnType<typeof createMap>;
