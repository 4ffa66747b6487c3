import type { LatLng } from "./types";

export interface Fix extends LatLng {
  accuracy: number;
}

export class GeoError extends Error {
  constructor(readonly reason: "unsupported" | "denied" | "unavailable" | "timeout") {
    super(reason);
  }
}

/** The phone's position now, as precise as it will give within 20 seconds: never an older fix, so a step closer counts. */
export function currentPosition(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) return reject(new GeoError("unsupported"));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.max(1, Math.round(p.coords.accuracy)) }),
      (e) => reject(new GeoError(e.code === e.PERMISSION_DENIED ? "denied" : e.code === e.TIMEOUT ? "timeout" : "unavailable")),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
    );
  });
}

/** Great-circle distance in metres. */
export function distance(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
