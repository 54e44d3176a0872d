/**
 * Pictures of equipment for tests and screenshots, drawn as SVG and rasterised by sharp: a
 * camera, a laptop, a tripod, in colours that tell them apart at thumbnail size.
 */
import sharp from 'sharp';

const SVG: Record<string, string> = {
  camera: `<rect x="0" y="0" width="1200" height="900" fill="#e9eef5"/>
    <rect x="250" y="280" width="700" height="420" rx="40" fill="#2b2f36"/>
    <rect x="330" y="220" width="200" height="90" rx="16" fill="#2b2f36"/>
    <circle cx="600" cy="490" r="165" fill="#11141a"/><circle cx="600" cy="490" r="110" fill="#3a4a66"/>
    <circle cx="560" cy="450" r="30" fill="#9fb4d8"/><rect x="800" y="320" width="90" height="40" rx="8" fill="#d9a441"/>`,
  laptop: `<rect x="0" y="0" width="1200" height="900" fill="#f3efe6"/>
    <rect x="300" y="200" width="600" height="390" rx="24" fill="#8e96a3"/>
    <rect x="330" y="230" width="540" height="330" fill="#1f4f8f"/>
    <path d="M220 620 H980 L930 690 H270 Z" fill="#b8bec8"/>`,
  tripod: `<rect x="0" y="0" width="1200" height="900" fill="#eef3ea"/>
    <rect x="540" y="150" width="120" height="70" rx="10" fill="#333"/>
    <rect x="585" y="220" width="30" height="260" fill="#555"/>
    <path d="M600 470 L380 800 L400 810 L600 500 Z M600 470 L820 800 L800 810 L600 500 Z M590 480 H610 V820 H590 Z" fill="#444"/>`,
};

export type PhotoSubject = keyof typeof SVG;

/** A PNG of `subject`, `width` x `height` pixels (the drawing scaled to fit). */
export function equipmentPhoto(subject: PhotoSubject, width = 1200, height = 900): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 1200 900" preserveAspectRatio="xMidYMid slice">${SVG[subject]}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
