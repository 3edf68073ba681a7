/**
 * `npm run icons`: the installed app's icons (web app manifest, home screen), drawn from the
 * shield the header shows (Ant Design's SafetyCertificateOutlined, web/src/shared/layout/) in
 * white on the app's green, and written as PNGs under web/public/icons/, which are committed:
 * run again only when the logo or the colour changes.
 *
 * - icon-192.png, icon-512.png: a rounded square, the shield at about two thirds of it;
 * - icon-maskable-512.png: the colour to the edges, the shield inside the centre circle of 80 %
 *   that every launcher's mask keeps (a circle, a squircle, a teardrop);
 * - apple-touch-icon.png (180): full square, iOS rounds the corners itself.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IconDefinition } from '@ant-design/icons-svg/lib/types.js';
import sharp from 'sharp';

const OUT_DIR = path.resolve(import.meta.dirname, '../web/public/icons');
/** The antd theme's primary colour (web/src/app.tsx) and the manifest's theme_color. */
const GREEN = '#1f6f5c';

// The icon package ships CommonJS with its definition on `default`.
const require = createRequire(import.meta.url);
const { default: shield } = require('@ant-design/icons-svg/lib/asn/SafetyCertificateOutlined.js') as { default: IconDefinition };

function shieldPaths(): string {
  if (typeof shield.icon === 'function') throw new Error('a two-tone icon: expected the outlined shield');
  return (shield.icon.children ?? []).map((child) => `<path d="${child.attrs.d}" fill="#fff"/>`).join('');
}

/**
 * An SVG of `size` pixels: the background (corner radius as a share of the size) and the shield
 * drawn in a box of `shieldShare` of the size, centred. The glyph's own viewBox has a margin.
 */
function iconSvg(size: number, cornerShare: number, shieldShare: number): string {
  const box = size * shieldShare;
  const offset = (size - box) / 2;
  const viewBox = typeof shield.icon === 'function' ? '' : shield.icon.attrs.viewBox;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`,
    `<rect width="${size}" height="${size}" rx="${size * cornerShare}" fill="${GREEN}"/>`,
    `<svg x="${offset}" y="${offset}" width="${box}" height="${box}" viewBox="${viewBox}">${shieldPaths()}</svg>`,
    '</svg>',
  ].join('');
}

const ICONS: readonly { file: string; size: number; corner: number; shield: number }[] = [
  { file: 'icon-192.png', size: 192, corner: 0.1875, shield: 0.66 },
  { file: 'icon-512.png', size: 512, corner: 0.1875, shield: 0.66 },
  // The shield's corners stay within the 40 % radius safe circle: its half-diagonal is ~0.66 of the box.
  { file: 'icon-maskable-512.png', size: 512, corner: 0, shield: 0.56 },
  { file: 'apple-touch-icon.png', size: 180, corner: 0, shield: 0.62 },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
for (const icon of ICONS) {
  const target = path.join(OUT_DIR, icon.file);
  await sharp(Buffer.from(iconSvg(icon.size, icon.corner, icon.shield)))
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toFile(target);
  console.log(`${path.relative(process.cwd(), target)}: ${icon.size}×${icon.size}, ${fs.statSync(target).size} bytes`);
}
