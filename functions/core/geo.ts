import type { LatLng } from "./wish.js";

/** The mean Earth radius (IUGG), in metres: the sphere the fence is measured on. */
export const earthRadiusMeters = 6_371_008.8;

const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * The great-circle distance between two points, by the haversine formula. Over the few
 * hundred metres of a fence the sphere is off from the ellipsoid by well under a metre,
 * and, unlike degrees treated as flat, it is right at every latitude.
 */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
}
