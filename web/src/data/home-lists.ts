/**
 * The first list each role's home page reads: one place for the path, so that the app can ask
 * for it while the page's code is still on its way (index.tsx) and the page finds it asked.
 */
export const homeLists: Record<string, (communityId: string | undefined) => string | undefined> = {
  "/mine": () => "/api/wishes?mine=true&limit=20",
  "/hall": (c) => (c ? `/api/wishes?communityId=${encodeURIComponent(c)}&status=open&limit=50` : undefined),
  "/review": (c) => (c ? `/api/wishes?communityId=${encodeURIComponent(c)}&status=submitted&limit=100` : undefined),
};
