/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's base URL; empty means the same origin. */
  readonly VITE_API_URL?: string;
  /** The community a fresh visitor is served in, when no link or role says otherwise. */
  readonly VITE_COMMUNITY_ID?: string;
}
