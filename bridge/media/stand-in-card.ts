// The picture platforms get while OBS is gone, when the user gave no image of their own: a calm card
// that says the stream is coming back. Pure SVG, drawn at the stream's own size.

import { escapeXml } from "../../presentation/key-image.js";

/** The stand-in card as SVG, `width`×`height` pixels. */
export function standInCardSvg(width: number, height: number, text = { title: "Be right back", subtitle: "The stream will continue in a moment" }): string {
  const unit = Math.min(width, height) / 100;
  const title = Math.round(unit * 9);
  const subtitle = Math.round(unit * 4);
  const cx = Math.round(width / 2);
  const cy = Math.round(height / 2);
  const ring = Math.round(unit * 6);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1b2030"/><stop offset="1" stop-color="#0d1017"/></linearGradient></defs>`,
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    `<circle cx="${cx}" cy="${Math.round(cy - unit * 16)}" r="${ring}" fill="none" stroke="#e8b23a" stroke-width="${Math.max(2, Math.round(unit * 1.2))}"/>`,
    `<rect x="${Math.round(cx - unit * 1.8)}" y="${Math.round(cy - unit * 19)}" width="${Math.max(2, Math.round(unit * 1.2))}" height="${Math.round(unit * 6)}" fill="#e8b23a"/>`,
    `<rect x="${Math.round(cx + unit * 0.6)}" y="${Math.round(cy - unit * 19)}" width="${Math.max(2, Math.round(unit * 1.2))}" height="${Math.round(unit * 6)}" fill="#e8b23a"/>`,
    `<text x="${cx}" y="${Math.round(cy + unit * 6)}" text-anchor="middle" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-weight="bold" font-size="${title}" fill="#f2f4f8">${escapeXml(text.title)}</text>`,
    `<text x="${cx}" y="${Math.round(cy + unit * 16)}" text-anchor="middle" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="${subtitle}" fill="#9aa3b5">${escapeXml(text.subtitle)}</text>`,
    `</svg>`,
  ].join("");
}
