/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's base URL; empty means the same origin. */
  readonly VITE_API_URL?: string;
  /** The community a fresh visitor is served in, when no link or role says otherwise. */
  readonly VITE_COMMUNITY_ID?: string;
  /** The map's tiles: a URL template ({z}/{x}/{y}, {s} for a subdomain), or several separated by spaces; none: a plain map. */
  readonly VITE_MAP_TILES?: string;
  /** What {s} in the tile template stands for, one character each (Leaflet's default: abc). */
  readonly VITE_MAP_SUBDOMAINS?: string;
  /** The tiles' attribution, as their provider asks it shown. */
  readonly VITE_MAP_ATTRIBUTION?: string;
}
