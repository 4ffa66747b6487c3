/**
 * The app's few pictures as inline SVG strokes (24 × 24): a tab, a category, the mark. No icon
 * font or image requests, a few hundred bytes in all; each is decoration beside its words.
 */
const paths = {
  post: "M12 5v14M5 12h14",
  mine: "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01",
  hall: "M3 11l9-8 9 8M5 10v10h14V10",
  tasks: "M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M9 14l2 2 4-4",
  hours: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2",
  review: "M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5",
  board: "M4 4h4v16H4zM10 4h4v10h-4zM16 4h4v13h-4z",
  verify: "M20 6L9 17l-5-5",
  stats: "M4 20h16M7 16v-5M12 16V6M17 16v-8",
  voices: "M4 5h16v11H9l-5 4zM8 9h8M8 12h5",
  me: "M12 4a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM4 21c0-4 3.6-7 8-7s8 3 8 7",
  errand: "M5 8h14l-1 12H6zM9 8V6a3 3 0 0 1 6 0v2",
  carry: "M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10",
  repair: "M15 4a5 5 0 0 0 5 6l-9 9a2 2 0 0 1-3-3l9-9a5 5 0 0 1-2-3z",
  elderly: "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
  children: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9 14s1 1.5 3 1.5 3-1.5 3-1.5M9 9h.01M15 9h.01",
  health: "M10 4h4v6h6v4h-6v6h-4v-6H4v-4h6z",
  cleaning: "M5 21c0-9 6-15 15-16-1 9-7 15-15 16zM5 21l8-8",
  digital: "M8 2h8v20H8zM11 18h2",
  farming: "M12 21V11M12 11c0-4-3-6-7-6 0 4 3 6 7 6zM12 13c0-4 3-6 7-6 0 4-3 6-7 6z",
  other: "M6 12h.01M12 12h.01M18 12h.01",
  skills: "M12 3l2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 16.8l-5.4 2.9 1.1-6.1-4.5-4.2 6.1-.8z",
} as const;
export type IconName = keyof typeof paths;

export function Icon(props: { name: string; size?: number }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      width={props.size ?? 20}
      height={props.size ?? 20}
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={paths[props.name as IconName] ?? paths.other} />
    </svg>
  );
}

/** The mark: a heart in a ring, the wish a neighbour makes and another keeps. */
export function Mark() {
  return (
    <svg class="mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <circle cx="16" cy="16" r="14.5" fill="#fff" />
      <path fill="#b3261e" d="M16 24.5s-8-5-8-11a4.5 4.5 0 0 1 8-2.8 4.5 4.5 0 0 1 8 2.8c0 6-8 11-8 11z" />
      <circle cx="22.5" cy="9" r="2" fill="#f2b705" />
    </svg>
  );
}
