/**
 * A photo as the phone sends it: decoded, at most 1600 px on its longest side, re-encoded as a
 * JPEG at the best quality that fits in 2 MB. Re-encoding also drops the camera's metadata,
 * the place it was taken included, which a photo of a resident's home must not carry.
 */
export const longestSide = 1600;
const qualities = [0.85, 0.75, 0.65, 0.55, 0.45];

export class ShrinkError extends Error {
  constructor(readonly reason: "unreadable" | "too_large") {
    super(reason);
  }
}

async function decode(file: Blob): Promise<{ image: CanvasImageSource; width: number; height: number; done: () => void }> {
  if ("createImageBitmap" in window) {
    try {
      const bitmap = await createImageBitmap(file);
      return { image: bitmap, width: bitmap.width, height: bitmap.height, done: () => bitmap.close() };
    } catch {
      // Some browsers decode in an <img> what createImageBitmap refuses.
    }
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    URL.revokeObjectURL(url);
    throw new ShrinkError("unreadable");
  }
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, done: () => URL.revokeObjectURL(url) };
}

const encode = (canvas: HTMLCanvasElement, quality: number) =>
  new Promise<Blob | null>((done) => canvas.toBlob(done, "image/jpeg", quality));

export async function shrink(file: Blob, maxBytes: number): Promise<Blob> {
  const { image, width, height, done } = await decode(file);
  try {
    if (!width || !height) throw new ShrinkError("unreadable");
    const scale = Math.min(1, longestSide / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext("2d")!;
    // Transparent PNGs become white, not black, as JPEGs.
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    for (const quality of qualities) {
      const blob = await encode(canvas, quality);
      if (blob && blob.size <= maxBytes) return blob;
    }
    throw new ShrinkError("too_large");
  } finally {
    done();
  }
}
