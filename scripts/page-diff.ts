/**
 * `npx tsx scripts/page-diff.ts --before DIR --after DIR --out DIR [--tolerance N]` (also `npm run tour:diff -- …`):
 * compares two page tours (scripts/page-tour.ts) pixel by pixel. For every PNG name in either
 * directory it writes a diff image to DIR (the changed pixels red over a faded "after"), an
 * index.html with before | after | diff side by side, most changed first, and prints the table:
 * name, sizes, share of changed pixels and the rows where the changes lie.
 *
 * The images are compared over the larger of the two sizes, so a page that grew or shrank counts
 * the part only one side has as changed. A pixel changed when one of its channels differs by more
 * than the tolerance (default 8 of 255: antialiasing noise, not a different colour). Decoding and
 * encoding by sharp, which the server already uses for photos.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

interface Image {
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Buffer;
}

interface Comparison {
  name: string;
  before: { width: number; height: number } | null;
  after: { width: number; height: number } | null;
  /** Changed pixels over all pixels of the larger size, 0 to 1; 1 when one side is missing. */
  changed: number;
  /** First and last row holding a changed pixel. */
  rows: [number, number] | null;
}

function parseArgs() {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const before = value('--before');
  const after = value('--after');
  const out = value('--out');
  if (!before || !after || !out) {
    console.error('usage: npx tsx scripts/page-diff.ts --before DIR --after DIR --out DIR [--tolerance 8]');
    process.exit(2);
  }
  const tolerance = Number(value('--tolerance') ?? 8);
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 255) throw new Error('--tolerance must be a whole number from 0 to 255');
  return { before: path.resolve(before), after: path.resolve(after), out: path.resolve(out), tolerance };
}

async function readImage(file: string): Promise<Image> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data };
}

/** Counts the changed pixels and paints the diff image: red where changed, elsewhere the after image faded to a quarter. */
function compare(before: Image, after: Image, tolerance: number): { diff: Image; changedPixels: number; rows: [number, number] | null } {
  const width = Math.max(before.width, after.width);
  const height = Math.max(before.height, after.height);
  const diff = Buffer.alloc(width * height * 4);
  let changedPixels = 0;
  let firstRow = -1;
  let lastRow = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBefore = x < before.width && y < before.height;
      const inAfter = x < after.width && y < after.height;
      const b = (y * before.width + x) * 4;
      const a = (y * after.width + x) * 4;
      let changed = !inBefore || !inAfter;
      if (!changed) {
        for (let c = 0; c < 4 && !changed; c++) changed = Math.abs(before.pixels[b + c]! - after.pixels[a + c]!) > tolerance;
      }
      const d = (y * width + x) * 4;
      if (changed) {
        changedPixels++;
        if (firstRow < 0) firstRow = y;
        lastRow = y;
        diff[d] = 255;
        diff[d + 1] = 0;
        diff[d + 2] = 0;
      } else {
        for (let c = 0; c < 3; c++) diff[d + c] = 255 - Math.round((255 - after.pixels[a + c]!) / 4);
      }
      diff[d + 3] = 255;
    }
  }
  return { diff: { width, height, pixels: diff }, changedPixels, rows: firstRow < 0 ? null : [firstRow, lastRow] };
}

const pngNames = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.png')) : []);
const sizeText = (size: Comparison['before']): string => (size ? `${size.width}×${size.height}` : 'missing');
const percent = (share: number): string => `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 1)}%`;
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function indexHtml(comparisons: readonly Comparison[], dirs: { before: string; after: string; out: string }): string {
  const link = (dir: string, name: string) => escapeHtml(path.relative(dirs.out, path.join(dir, name)).split(path.sep).join('/'));
  const cell = (present: boolean, src: string) => (present ? `<td><a href="${src}"><img src="${src}" loading="lazy"></a></td>` : '<td class="missing">missing</td>');
  const rows = comparisons.map((c) => {
    const head = `<tr><th colspan="3" id="${escapeHtml(c.name)}">${escapeHtml(c.name)} — ${percent(c.changed)} changed · before ${sizeText(c.before)} · after ${sizeText(c.after)}${c.rows ? ` · rows ${c.rows[0]}–${c.rows[1]}` : ''}</th></tr>`;
    const images = `<tr>${cell(c.before !== null, link(dirs.before, c.name))}${cell(c.after !== null, link(dirs.after, c.name))}${cell(c.before !== null && c.after !== null, escapeHtml(c.name))}</tr>`;
    return head + images;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page tour diff</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 16px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th { text-align: left; padding: 16px 4px 4px; border-bottom: 1px solid #ccc; }
td { vertical-align: top; padding: 4px; }
td img { width: 100%; border: 1px solid #ddd; }
td.missing { color: #a00; }
</style></head><body>
<h1>Page tour: before | after | diff</h1>
<p>before: ${escapeHtml(dirs.before)}<br>after: ${escapeHtml(dirs.after)}<br>Most changed first; red: changed pixels over the faded after image.</p>
<table><colgroup><col><col><col></colgroup>
${rows.join('\n')}
</table></body></html>
`;
}

async function main(): Promise<void> {
  const { before, after, out, tolerance } = parseArgs();
  fs.mkdirSync(out, { recursive: true });
  const names = [...new Set([...pngNames(before), ...pngNames(after)])].sort();
  const comparisons: Comparison[] = [];
  for (const name of names) {
    const beforeFile = path.join(before, name);
    const afterFile = path.join(after, name);
    const a = fs.existsSync(beforeFile) ? await readImage(beforeFile) : null;
    const b = fs.existsSync(afterFile) ? await readImage(afterFile) : null;
    const size = (image: Image | null) => (image ? { width: image.width, height: image.height } : null);
    if (!a || !b) {
      comparisons.push({ name, before: size(a), after: size(b), changed: 1, rows: null });
      continue;
    }
    const { diff, changedPixels, rows } = compare(a, b, tolerance);
    await sharp(diff.pixels, { raw: { width: diff.width, height: diff.height, channels: 4 } })
      .png({ compressionLevel: 6 })
      .toFile(path.join(out, name));
    comparisons.push({ name, before: size(a), after: size(b), changed: changedPixels / (diff.width * diff.height), rows });
  }
  comparisons.sort((x, y) => y.changed - x.changed || x.name.localeCompare(y.name));
  fs.writeFileSync(path.join(out, 'index.html'), indexHtml(comparisons, { before, after, out }));
  fs.writeFileSync(path.join(out, 'diff.json'), `${JSON.stringify(comparisons, null, 2)}\n`);

  const width = Math.max(4, ...comparisons.map((c) => c.name.length));
  console.log(`${'name'.padEnd(width)}  ${'before'.padStart(10)}  ${'after'.padStart(10)}  ${'changed'.padStart(8)}  rows`);
  for (const c of comparisons) {
    console.log(`${c.name.padEnd(width)}  ${sizeText(c.before).padStart(10)}  ${sizeText(c.after).padStart(10)}  ${percent(c.changed).padStart(8)}  ${c.rows ? `${c.rows[0]}–${c.rows[1]}` : ''}`);
  }
  const missing = comparisons.filter((c) => !c.before || !c.after);
  const same = comparisons.filter((c) => c.changed === 0).length;
  console.log(`\n${comparisons.length} pages: ${same} identical, ${comparisons.length - same - missing.length} changed, ${missing.length} on one side only.`);
  for (const c of missing) console.log(`  only ${c.before ? 'before' : 'after'}: ${c.name}`);
  console.log(`Diff images and index.html in ${out}`);
}

await main();
